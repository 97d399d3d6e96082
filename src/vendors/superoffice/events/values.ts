/**
 * Typed example values for FieldValues and Values columns. A `Row` stands for the database row an event is
 * about: its primary key, the ids of related rows (drawn once, so FieldValues and Values agree) and whether
 * it was just created (then `registered` is now and `updated` is still NetServer's empty date).
 */
import type { EventGenerationContext } from '../../../core/event-catalogue.js';
import type { IdSource } from '../../../core/ids.js';

export interface Row {
  ids: IdSource;
  now: Date;
  primaryKey: number;
  /** True for a `.created` event. */
  created: boolean;
  /** The id of a related row of `table`, the same every time the row asks; 1..max. */
  ref(table: string, max?: number): number;
}

/** Makes one column's value for a row. */
export type Column = (row: Row) => unknown;

/** A whole number in [min, max], from the id source. */
export function drawInt(ids: IdSource, min: number, max: number): number {
  return min + (ids.bytes(4).readUInt32BE(0) % (max - min + 1));
}

export function pickFrom<T>(ids: IdSource, items: readonly T[]): T {
  return items[ids.bytes(1)[0]! % items.length]!;
}

/** A row of `table`: a fresh primary key, related ids on demand. */
export function newRow(ctx: EventGenerationContext, created: boolean, maxKey = 99_999): Row {
  const related = new Map<string, number>();
  const row: Row = {
    ids: ctx.ids,
    now: ctx.clock.now(),
    primaryKey: drawInt(ctx.ids, 1, maxKey),
    created,
    ref(table, max = 99_999) {
      let id = related.get(table);
      if (id === undefined) {
        id = drawInt(ctx.ids, 1, max);
        related.set(table, id);
      }
      return id;
    },
  };
  return row;
}

/** NetServer's "no date": DateTime.MinValue without a zone. */
export const NO_DATE = '0001-01-01T00:00:00';

/** A database date as NetServer serialises it without a zone: `2026-01-01T09:30:00`. */
export function soDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** A DateTime with ticks and offset, as `updated` comes: `2026-01-01T09:30:00.1230000+00:00`. */
export function soDateTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}0000+00:00`;
}

/** An extra table's typed value as its events carry it: `[I:6]`, `[DT:09/16/2025 14:22:14.0000000]`. */
export function typedInt(value: number): string {
  return `[I:${value}]`;
}

export function typedDateTime(date: Date): string {
  const iso = date.toISOString();
  return `[DT:${iso.slice(5, 7)}/${iso.slice(8, 10)}/${iso.slice(0, 4)} ${iso.slice(11, 19)}.0000000]`;
}

const DAY_MS = 86_400_000;

/** The column vocabulary the entity tables are written in. */
export const V = {
  /** The row's own id. */
  key: ((row) => row.primaryKey) as Column,
  /** The id of a related row (contact, person, sale, ...). */
  ref:
    (table: string): Column =>
    (row) =>
      row.ref(table),
  /** An associate: the owner; `registrar` for whoever registered and last updated the row. */
  associate: ((row) => row.ref('associate', 60)) as Column,
  registrar: ((row) => row.ref('registrar', 60)) as Column,
  /** An index into a short SuperOffice list (category, business, status, ...). */
  list:
    (table: string, size = 12): Column =>
    (row) =>
      row.ref(table, size),
  constant:
    (value: unknown): Column =>
    () =>
      value,
  pick:
    (values: readonly unknown[]): Column =>
    (row) =>
      pickFrom(row.ids, values),
  /** When the row was registered: now for a created row, some days ago for an older one. */
  registered: ((row) =>
    soDate(
      row.created ? row.now : new Date(row.now.getTime() - drawInt(row.ids, 30, 900) * DAY_MS),
    )) as Column,
  /** When the row was last updated: not yet for a created row, now otherwise. */
  updated: ((row) => (row.created ? NO_DATE : soDateTime(row.now))) as Column,
  /** A moment `days` from now (negative: ago), with offset. */
  at:
    (days: number): Column =>
    (row) =>
      soDateTime(new Date(row.now.getTime() + days * DAY_MS)),
  /** A calendar date `days` from now, at midnight, without a zone. */
  day:
    (days: number): Column =>
    (row) =>
      `${soDate(new Date(row.now.getTime() + days * DAY_MS)).slice(0, 10)}T00:00:00`,
  /** Now, without a zone (a soft delete's DeletedDate). */
  now: ((row) => soDate(row.now)) as Column,
  never: (() => NO_DATE) as Column,
};

/** The usual column for an id column name in Values: the row's key, the owner, or a related row. */
export function idColumn(name: string, keyColumn: string): Column {
  if (name === keyColumn) return V.key;
  if (name === 'associate_id') return V.associate;
  return V.ref(name.replace(/_id$/, ''));
}

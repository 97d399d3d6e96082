import type { SuperOfficeFixture, WebhookStateName } from './fixture-schema.js';

/** SuperOffice's Associate as webhooks carry it (RegisteredAssociate, UpdatedAssociate). */
export interface Associate {
  AssociateId: number;
  Name: string;
  PersonId: number;
  Rank: number;
  Tooltip: string;
  Type: string;
  GroupIdx: number;
  FullName: string;
  FormalName: string;
  Deleted: boolean;
  EjUserId: number;
  UserName: string;
}

/** A stored webhook, PascalCase as SuperOffice serialises it. */
export interface SoWebhook {
  WebhookId: number;
  Name: string;
  Events: string[];
  TargetUrl: string;
  Secret: string;
  State: WebhookStateName;
  Type: string;
  Headers: Record<string, string>;
  Properties: Record<string, unknown>;
  Registered: string;
  RegisteredAssociate: Associate | null;
  Updated: string;
  UpdatedAssociate: Associate | null;
  ErrorsEmail: string;
}

export interface SuperOfficeState {
  contextIdentifier: string;
  associates: Map<number, Associate>;
  basicUsers: Map<string, { password: string; associateId: number }>;
  tickets: Map<string, number>;
  accessTokens: Map<string, number>;
  /** X-XSRF-TOKEN values that log in without an Authorization header (a browser session). */
  xsrfTokens: Map<string, number>;
  /** SO-AppToken values the fixture allows; empty = any (or none) is accepted. */
  appTokens: Set<string>;
  webhooks: Map<number, SoWebhook>;
  /** Webhooks deleted since the start or the last reset, as they were then: their deliveries stay verifiable. */
  deletedWebhooks: Map<number, SoWebhook>;
  /** The most recent delivery error per webhook (GetLastError). */
  lastErrors: Map<number, string>;
  /** Failed deliveries in a row per webhook; 9 set the State to TooManyErrors. */
  consecutiveErrors: Map<number, number>;
  nextWebhookId: number;
}

export function toAssociate(entry: SuperOfficeFixture['associates'][number]): Associate {
  return {
    AssociateId: entry.associateId,
    Name: entry.name,
    PersonId: entry.personId ?? 0,
    Rank: 0,
    Tooltip: entry.fullName ?? entry.name,
    Type: 'InternalAssociate',
    GroupIdx: 0,
    FullName: entry.fullName ?? entry.name,
    FormalName: entry.fullName ?? entry.name,
    Deleted: false,
    EjUserId: 0,
    UserName: entry.name,
  };
}

export function createSuperOfficeState(fixture: SuperOfficeFixture, now: Date): SuperOfficeState {
  const associates = new Map(fixture.associates.map((entry) => [entry.associateId, toAssociate(entry)]));
  const stamp = now.toISOString();
  const webhooks = new Map<number, SoWebhook>(
    (fixture.webhooks ?? []).map((webhook) => {
      const registeredBy = associates.get(
        webhook.registeredAssociateId ?? fixture.associates[0]?.associateId ?? 0,
      );
      return [
        webhook.webhookId,
        {
          WebhookId: webhook.webhookId,
          Name: webhook.name,
          Events: webhook.events,
          TargetUrl: webhook.targetUrl,
          Secret: webhook.secret ?? '',
          State: webhook.state ?? 'Active',
          Type: webhook.type ?? 'webhook',
          Headers: webhook.headers ?? {},
          Properties: webhook.properties ?? {},
          Registered: webhook.registered ?? stamp,
          RegisteredAssociate: registeredBy ?? null,
          Updated: webhook.registered ?? stamp,
          UpdatedAssociate: registeredBy ?? null,
          ErrorsEmail: webhook.errorsEmail ?? '',
        },
      ];
    }),
  );
  return {
    contextIdentifier: fixture.contextIdentifier,
    associates,
    basicUsers: new Map(
      (fixture.basicUsers ?? []).map((user) => [
        user.username,
        { password: user.password, associateId: user.associateId },
      ]),
    ),
    tickets: new Map((fixture.tickets ?? []).map((entry) => [entry.ticket, entry.associateId])),
    accessTokens: new Map((fixture.accessTokens ?? []).map((entry) => [entry.token, entry.associateId])),
    xsrfTokens: new Map((fixture.xsrfTokens ?? []).map((entry) => [entry.token, entry.associateId])),
    appTokens: new Set(fixture.appTokens ?? []),
    webhooks,
    deletedWebhooks: new Map(),
    lastErrors: new Map(),
    consecutiveErrors: new Map(),
    nextWebhookId: Math.max(0, ...webhooks.keys()) + 1,
  };
}

/** Query parameters of the admin API, checked: a bad one is a 400 problem. */
import type { Request } from 'express';
import type { VendorName } from '../core/vendor-module.js';
import { ProblemError } from './problem.js';

export function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `?vendor=`, checked against the mounted vendors (400 for another name). */
export function vendorParamOf(names: readonly string[]): (req: Request) => VendorName | undefined {
  return (req) => {
    const vendor = queryString(req, 'vendor');
    if (vendor !== undefined && !names.includes(vendor))
      throw new ProblemError(
        400,
        'Unknown vendor',
        `vendor must be one of ${names.join(', ')}; got "${vendor}"`,
      );
    return vendor;
  };
}

export function integerParam(req: Request, name: string, fallback: number, max: number): number {
  const raw = queryString(req, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new ProblemError(400, 'Bad query parameter', `${name} must be an integer from 0 to ${max}`);
  return value;
}

/** The newest `limit` items (all for 0). */
export function newest<T>(items: T[], limit: number): T[] {
  return limit === 0 ? items : items.slice(-limit);
}

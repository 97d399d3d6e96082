/**
 * What a new user needs to find their way in: each vendor's base URL, the inspector, the admin API, the sink and
 * where the credentials are. The CLI's start-up banner and the `GET /` page both show this list.
 */
import type { VendorName } from './vendor-module.js';

/** Whether the admin API (and so the inspector) answers: open on loopback, with a token, or refused. */
export type AdminAccess = 'open' | 'token' | 'refused';

export interface EntryPoint {
  /** `c1`, `shodai`, `superoffice`, `inspector`, `admin`, `sink`. */
  name: string;
  label: string;
  url: string;
  note: string;
}

export interface EntryPointOptions {
  vendors: readonly { name: VendorName; title: string; label: string; basePath: string }[];
  admin: AdminAccess;
}

/** Where the demo credentials are written down. */
export const CREDENTIALS_DOC = 'README.md, "Demo credentials and webhooks"';

function adminNote(admin: AdminAccess): string {
  if (admin === 'refused')
    return 'off: the mock listens beyond loopback and has no --admin-token (the inspector needs it too)';
  const what = 'journals, scenarios, clock, reset';
  return admin === 'token' ? `${what}; send Authorization: Bearer <admin token>` : what;
}

/** The entry points below `origin` (e.g. http://127.0.0.1:4010), in the order the banner lists them. */
export function entryPoints(origin: string, options: EntryPointOptions): EntryPoint[] {
  return [
    ...options.vendors.map((vendor) => ({
      name: vendor.name,
      label: vendor.label,
      url: `${origin}${vendor.basePath}`,
      note: `${vendor.title} base URL for clients`,
    })),
    {
      name: 'inspector',
      label: 'inspector',
      url: `${origin}/__inspector/`,
      note:
        options.admin === 'token'
          ? 'live requests and signed deliveries in a browser (add #token=<admin token>)'
          : 'live requests and signed deliveries in a browser',
    },
    { name: 'admin', label: 'admin API', url: `${origin}/__admin`, note: adminNote(options.admin) },
    {
      name: 'sink',
      label: 'sink',
      url: `${origin}/__sink/{name}`,
      note: 'a built-in receiver: deliveries POSTed here are listed by GET',
    },
  ];
}

/**
 * The made-up but plausible tenant the C1 generators draw from: apps with their entitlements, people and
 * the reasons they give. Picks come from the IdSource, so a seeded run picks the same every time.
 */
import type { IdSource } from '../../../core/ids.js';

export interface EntitlementSample {
  displayName: string;
  slug: string;
  alias: string;
  description: string;
}

export interface AppSample {
  displayName: string;
  description: string;
  /** AWS: the account ID; GitHub: the org name; Okta: the subdomain. */
  accountName: string;
  iconUrl: string;
  monthlyCostUsd: number;
  /** How the app names its accounts: from the person's email or as a handle. */
  usernameStyle: 'email' | 'handle';
  entitlements: readonly EntitlementSample[];
}

export interface PersonSample {
  displayName: string;
  email: string;
  handle: string;
  department: string;
  jobTitle: string;
}

export const APPS: readonly AppSample[] = [
  {
    displayName: 'GitHub',
    description: 'Source code, pull requests and CI for the engineering organization.',
    accountName: 'acme-corp',
    iconUrl: 'https://github.githubassets.com/favicons/favicon.svg',
    monthlyCostUsd: 21,
    usernameStyle: 'handle',
    entitlements: [
      {
        displayName: 'Admin role',
        slug: 'admin',
        alias: 'github-org-admin',
        description: 'Organization owner: full control of every repository, team and setting of acme-corp.',
      },
      {
        displayName: 'Maintain on acme-corp/payments-api',
        slug: 'maintain',
        alias: 'github-payments-api-maintain',
        description: 'Manage issues, pull requests and branch settings of the payments-api repository.',
      },
    ],
  },
  {
    displayName: 'Okta',
    description: 'Workforce identity: single sign-on and MFA for every employee.',
    accountName: 'acme',
    iconUrl: 'https://ok14static.oktacdn.com/assets/img/favicons/favicon.ico',
    monthlyCostUsd: 8,
    usernameStyle: 'email',
    entitlements: [
      {
        displayName: 'Super Administrator',
        slug: 'role',
        alias: 'okta-super-admin',
        description: 'Full administrative access to the acme Okta org, including other administrators.',
      },
      {
        displayName: 'Read-only Administrator',
        slug: 'role',
        alias: 'okta-read-only-admin',
        description: 'View every setting of the acme Okta org without changing anything.',
      },
    ],
  },
  {
    displayName: 'AWS',
    description: 'Production AWS account (us-east-1, eu-west-1).',
    accountName: '491827365012',
    iconUrl: 'https://a0.awsstatic.com/libra-css/images/site/fav/favicon.ico',
    monthlyCostUsd: 0,
    usernameStyle: 'email',
    entitlements: [
      {
        displayName: 'AdministratorAccess',
        slug: 'permission set',
        alias: 'aws-prod-admin',
        description: 'AWS IAM Identity Center permission set granting full access to the production account.',
      },
      {
        displayName: 'ReadOnlyAccess',
        slug: 'permission set',
        alias: 'aws-prod-read-only',
        description: 'AWS IAM Identity Center permission set granting read-only access to production.',
      },
    ],
  },
  {
    displayName: 'Salesforce',
    description: 'CRM for the sales and customer success teams.',
    accountName: 'acme.my.salesforce.com',
    iconUrl: 'https://www.salesforce.com/favicon.ico',
    monthlyCostUsd: 165,
    usernameStyle: 'email',
    entitlements: [
      {
        displayName: 'System Administrator',
        slug: 'profile',
        alias: 'salesforce-sysadmin',
        description: 'The System Administrator profile: customize the org and manage every user and record.',
      },
    ],
  },
  {
    displayName: 'Snowflake',
    description: 'Data warehouse for analytics and finance reporting.',
    accountName: 'ACME-PROD',
    iconUrl: 'https://www.snowflake.com/favicon.ico',
    monthlyCostUsd: 0,
    usernameStyle: 'handle',
    entitlements: [
      {
        displayName: 'ACCOUNTADMIN role',
        slug: 'member',
        alias: 'snowflake-accountadmin',
        description: 'Top-level Snowflake role: manages warehouses, users, roles and billing.',
      },
      {
        displayName: 'ANALYST role',
        slug: 'member',
        alias: 'snowflake-analyst',
        description: 'Read access to the curated analytics schemas.',
      },
    ],
  },
];

export const PEOPLE: readonly PersonSample[] = [
  {
    displayName: 'Alice Rodriguez',
    email: 'alice.rodriguez@example.com',
    handle: 'arodriguez',
    department: 'Engineering',
    jobTitle: 'Senior Software Engineer',
  },
  {
    displayName: 'Priya Natarajan',
    email: 'priya.natarajan@example.com',
    handle: 'pnatarajan',
    department: 'Security',
    jobTitle: 'Security Engineer',
  },
  {
    displayName: 'Marcus Chen',
    email: 'marcus.chen@example.com',
    handle: 'mchen',
    department: 'Data',
    jobTitle: 'Analytics Engineer',
  },
  {
    displayName: 'Fatima Okafor',
    email: 'fatima.okafor@example.com',
    handle: 'fokafor',
    department: 'Sales Operations',
    jobTitle: 'Salesforce Administrator',
  },
  {
    displayName: 'Jonas Becker',
    email: 'jonas.becker@example.com',
    handle: 'jbecker',
    department: 'Platform',
    jobTitle: 'Site Reliability Engineer',
  },
];

/** Managers, so an approver is never the requester. */
export const MANAGERS: readonly PersonSample[] = [
  {
    displayName: 'Dana Whitfield',
    email: 'dana.whitfield@example.com',
    handle: 'dwhitfield',
    department: 'Engineering',
    jobTitle: 'Engineering Manager',
  },
  {
    displayName: 'Samuel Osei',
    email: 'samuel.osei@example.com',
    handle: 'sosei',
    department: 'Security',
    jobTitle: 'Head of Security',
  },
];

export const JUSTIFICATIONS: readonly string[] = [
  'Covering the on-call rotation next week and need to act on incidents without waiting for a handoff.',
  "Rotating the organization's deploy keys as part of the quarterly security review.",
  'Joining the platform migration project; my manager agreed in our 1:1 on Monday.',
  'Need to fix the broken nightly export job before the finance close on Friday.',
];

/** One element of `list`, chosen by the next byte of `ids`. */
export function pick<T>(ids: IdSource, list: readonly T[]): T {
  const item = list[ids.bytes(1)[0]! % list.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** A whole number in [min, max], drawn from `ids`. */
export function pickNumber(ids: IdSource, min: number, max: number): number {
  return min + (ids.bytes(4).readUInt32BE(0) % (max - min + 1));
}

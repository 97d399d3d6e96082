/**
 * The objects C1 expands into a task event (`expanded[]`), each a google.protobuf.Any with its `@type`, and
 * the TaskView pointers to them. Fields as C1's App, AppEntitlement, AppUser and User (see the spec's
 * components); protobuf JSON leaves out unset fields, so these do too.
 */
import { C1_EXPANDED_TYPE } from './types.js';
import type { C1AnyObject, C1TaskViewPath, JsonObject } from './types.js';
import type { GrantScene } from './scene.js';
import { minutesBefore, usernameIn } from './scene.js';
import type { PersonSample } from './samples.js';

const DAY = 24 * 60;

function app(scene: GrantScene): C1AnyObject {
  const { app: sample, ids, now } = scene;
  return {
    '@type': C1_EXPANDED_TYPE.app,
    id: ids.app,
    displayName: sample.displayName,
    description: sample.description,
    appAccountId: ids.appAccount,
    appAccountName: sample.accountName,
    iconUrl: sample.iconUrl,
    grantPolicyId: ids.policy,
    identityMatching: 'APP_USER_IDENTITY_MATCHING_STRICT',
    ...(sample.monthlyCostUsd > 0 ? { monthlyCostUsd: sample.monthlyCostUsd } : {}),
    userCount: String(40 + (Number(scene.numericId) % 260)),
    createdAt: minutesBefore(now, 410 * DAY),
    updatedAt: minutesBefore(now, 12 * DAY),
  };
}

function entitlement(scene: GrantScene): C1AnyObject {
  const { entitlement: sample, ids, now } = scene;
  return {
    '@type': C1_EXPANDED_TYPE.appEntitlement,
    id: ids.entitlement,
    appId: ids.app,
    appResourceTypeId: ids.resourceType,
    appResourceId: ids.resource,
    displayName: sample.displayName,
    description: sample.description,
    slug: sample.slug,
    alias: sample.alias,
    grantPolicyId: ids.policy,
    provisionerPolicy: { webhook: { webhookId: ids.provisionWebhook } },
    durationGrant: scene.grantDuration,
    purpose: 'APP_ENTITLEMENT_PURPOSE_VALUE_PERMISSION',
    grantCount: '7',
    createdAt: minutesBefore(now, 400 * DAY),
    updatedAt: minutesBefore(now, 30 * DAY),
  };
}

function appUser(scene: GrantScene): C1AnyObject {
  const { requester, ids, now } = scene;
  const username = usernameIn(scene.app, requester);
  return {
    '@type': C1_EXPANDED_TYPE.appUser,
    id: ids.appUser,
    appId: ids.app,
    identityUserId: ids.user,
    appUserType: 'APP_USER_TYPE_USER',
    displayName: requester.displayName,
    email: requester.email,
    emails: [requester.email],
    username,
    usernames: [username],
    status: { status: 'STATUS_ENABLED' },
    createdAt: minutesBefore(now, 380 * DAY),
    updatedAt: minutesBefore(now, 2 * DAY),
  };
}

/** A C1 identity user; `managerId` for someone who has a manager in the directory. */
export function identityUser(
  person: PersonSample,
  id: string,
  scene: GrantScene,
  managerId?: string,
): C1AnyObject {
  return {
    '@type': C1_EXPANDED_TYPE.user,
    id,
    displayName: person.displayName,
    email: person.email,
    emails: [person.email],
    username: person.email,
    usernames: [person.email],
    department: person.department,
    jobTitle: person.jobTitle,
    employmentStatus: 'Active',
    employmentType: 'Full-time',
    ...(managerId === undefined ? {} : { managerIds: [managerId] }),
    directoryIds: [scene.ids.directory],
    directoryStatus: 'ENABLED',
    status: 'ENABLED',
    type: 'USER_TYPE_HUMAN',
    createdAt: minutesBefore(scene.now, 500 * DAY),
    updatedAt: minutesBefore(scene.now, 3 * DAY),
  };
}

/** The expanded objects of a grant task and the TaskView pointers into them. */
export function expandGrant(
  scene: GrantScene,
  withApprover: boolean,
): { expanded: C1AnyObject[]; paths: Partial<Record<C1TaskViewPath, string>> } {
  const expanded = [
    app(scene),
    entitlement(scene),
    appUser(scene),
    identityUser(scene.requester, scene.ids.user, scene, scene.ids.approver),
  ];
  const at = (index: number): string => `$.expanded[${index}]`;
  const paths: Partial<Record<C1TaskViewPath, string>> = {
    appPath: at(0),
    entitlementsPath: at(1),
    appUserPath: at(2),
    identityUserPath: at(3),
    userPath: at(3),
    createdByUserPath: at(3),
  };
  if (withApprover) {
    expanded.push(identityUser(scene.approver, scene.ids.approver, scene));
    paths.approversPath = at(4);
  }
  return { expanded, paths };
}

/** The object a TaskView pointer (`$.expanded[<index>]`) names, if it names one. */
export function expandedAt(expanded: readonly JsonObject[], pointer: string): JsonObject | undefined {
  const match = /^\$\.expanded\[(\d+)\]$/.exec(pointer);
  return match === null ? undefined : expanded[Number(match[1])];
}

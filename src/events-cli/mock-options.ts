/** The options every command that works a running mock takes: where it is, its admin token, and `--json`. */
import { Option } from 'commander';
import type { Command } from 'commander';
import type { MockTarget } from './mock-remote.js';

export interface MockFlags {
  mock: string;
  adminToken?: string;
  json?: boolean;
}

/** `--mock URL` (MOCK_URL, default http://127.0.0.1:4010) and `--admin-token T` (ADMIN_TOKEN). */
export function addMockOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--mock <url>', 'the running mock').env('MOCK_URL').default('http://127.0.0.1:4010'),
    )
    .addOption(new Option('--admin-token <token>', "the mock's admin token").env('ADMIN_TOKEN'));
}

export function targetOf(flags: MockFlags): MockTarget {
  return { mockUrl: flags.mock, ...(flags.adminToken === undefined ? {} : { adminToken: flags.adminToken }) };
}

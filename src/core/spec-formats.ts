import type { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule.default ?? addFormatsModule;

const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The formats our specs use. `duration` is protobuf's JSON duration (`"691200s"`, as C1 sends it), not
 * ISO 8601 as in ajv-formats. C1's messages also use protobuf's `uint32` (a JSON number), `uint64` (a decimal
 * string in protobuf JSON) and `base64` (bytes); without them Ajv warns of unknown formats on every compile.
 */
export function addSpecFormats(ajv: Ajv): void {
  addFormats(ajv);
  ajv.addFormat('duration', /^-?\d+(\.\d{1,9})?s$/);
  ajv.addFormat('uint32', {
    type: 'number',
    validate: (value: number) => Number.isInteger(value) && value >= 0 && value <= 0xffffffff,
  });
  ajv.addFormat('uint64', {
    type: 'string',
    validate: (value: string) => /^\d{1,20}$/.test(value) && BigInt(value) <= UINT64_MAX,
  });
  ajv.addFormat('base64', /^[A-Za-z0-9+/_-]*={0,2}$/);
}

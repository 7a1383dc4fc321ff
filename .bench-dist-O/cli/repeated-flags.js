import { UsageError } from './exit.js';
// Flags that may be repeated; any other flag given twice is a mistake worth naming
// (yargs would otherwise hand the command an array where it expects one value).
const REPEATABLE = new Set(['_', 'admin', 'files', 'var', 'admin-host', 'adminHost', 'admin-origin', 'adminOrigin', 'register', 'label']);
// Repeatable in one command only: elsewhere (proxy, ca issue) --service names one service; --host is toxiproxy's --admin-host.
const REPEATABLE_IN = { 'ca token create': new Set(['service']), toxiproxy: new Set(['host']), 'faults add': new Set(['host', 'region', 'zone', 'customer', 'source', 'path', 'method', 'header', 'abort-header', 'abortHeader']), init: new Set(['service']) };
/** yargs middleware: refuses a flag given twice unless it is one of the repeatable ones. */
export function refuseRepeatedFlags(argv) {
    const command = argv._?.slice(0, 3).join(' ') ?? '';
    for (const [key, value] of Object.entries(argv)) {
        if (Array.isArray(value) && !REPEATABLE.has(key) && !REPEATABLE_IN[command]?.has(key)) {
            throw new UsageError(`--${key} was given ${value.length} times; give it once`);
        }
    }
}
//# sourceMappingURL=repeated-flags.js.map
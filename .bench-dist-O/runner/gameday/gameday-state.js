import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export const stateFile = (dir) => join(dir, 'gameday.json');
export function readState(dir) {
    if (!existsSync(stateFile(dir)))
        return undefined;
    return JSON.parse(readFileSync(stateFile(dir), 'utf8'));
}
export function writeState(dir, state) {
    const tmp = `${stateFile(dir)}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, stateFile(dir));
}
//# sourceMappingURL=gameday-state.js.map
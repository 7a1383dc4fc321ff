import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The faultmesh package folder, whether running from dist/ or from source through tsx. */
export function packageRoot() {
    let dir = dirname(fileURLToPath(import.meta.url));
    while (!existsSync(join(dir, 'package.json'))) {
        const up = dirname(dir);
        if (up === dir)
            throw new Error('cannot find the faultmesh package folder');
        dir = up;
    }
    return dir;
}
//# sourceMappingURL=paths.js.map
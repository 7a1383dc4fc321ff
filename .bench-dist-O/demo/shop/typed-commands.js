/** What `--keep-running` tells the user they can type. */
export const TYPED_COMMANDS_HELP = 'type `stop ID` (an instance stops, as if its host went down) or `start ID` (it comes back), then Enter';
/**
 * One line typed while the shop runs: `stop ID` stops an instance and says
 * when it has left every proxy's table (its sidecar's health check fails, so
 * its registration is not renewed and ends with its lease); `start ID`
 * brings it back and says when every proxy has it again. Anything else
 * prints what can be typed. Errors are printed, never thrown: a typo must
 * not stop the shop.
 */
export async function runTypedCommand(shop, line, print, signal) {
    const text = line.trim();
    if (!text)
        return;
    const m = /^(stop|start)\s+(\S+)$/.exec(text);
    const ids = shop.instances.map((i) => i.id);
    if (!m || !ids.includes(m[2])) {
        print(`${m ? `no instance "${m[2]}"` : `"${text}"?`} ${TYPED_COMMANDS_HELP}; IDs: ${ids.join(', ')}`);
        return;
    }
    const [, verb, id] = m;
    const proxies = Object.keys(shop.admins).length;
    try {
        if (verb === 'stop') {
            print(`stopping ${id}: its sidecar's health check (GET /healthz) now fails, so its registration is not renewed and ends within its ${shop.registerTtl} lease`);
            const ms = await shop.stopInstance(id, signal);
            print(`${id} left all ${proxies} proxies' tables ${(ms / 1000).toFixed(1)} s after it stopped (\`faultmesh status --control ${shop.control}\` no longer lists it)`);
        }
        else {
            print(`starting ${id} again: its sidecar registers it at its next health check`);
            const ms = await shop.startInstance(id, signal);
            print(`${id} is back in all ${proxies} proxies' tables after ${(ms / 1000).toFixed(1)} s`);
        }
    }
    catch (err) {
        print(`${verb} ${id}: ${err.message}`);
    }
}
//# sourceMappingURL=typed-commands.js.map
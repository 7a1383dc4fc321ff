import { createInterface } from 'node:readline';
/**
 * Sends commands to a shop service process (shop-service.ts) on its stdin
 * and resolves each with the reply line it prints. The process answers in
 * order, one line per command, so replies are matched first in, first out.
 */
export function serviceCommands(child, name, timeoutMs) {
    const waiting = [];
    createInterface({ input: child.proc.stdout }).on('line', (line) => {
        let reply;
        try {
            reply = JSON.parse(line);
        }
        catch {
            return; // not a reply (the service printing something else)
        }
        const next = waiting.shift();
        if (!next)
            return;
        if (typeof reply.error === 'string')
            next.reject(new Error(`${name}: ${reply.error}`));
        else
            next.resolve(reply);
    });
    // A write to a process that has just died fails with EPIPE; the exit below already says so.
    child.proc.stdin.on('error', () => { });
    child.proc.once('exit', (code) => {
        for (const w of waiting.splice(0))
            w.reject(new Error(`${name} exited (${code}) before it answered`));
    });
    return (command) => new Promise((resolve, reject) => {
        if (child.proc.exitCode !== null || child.proc.signalCode !== null)
            return reject(new Error(`${name} has exited`));
        const timer = setTimeout(() => reject(new Error(`${name} did not answer ${JSON.stringify(command)} within ${timeoutMs / 1000}s`)), timeoutMs);
        waiting.push({
            resolve: (r) => (clearTimeout(timer), resolve(r)),
            reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.proc.stdin.write(`${JSON.stringify(command)}\n`);
    });
}
//# sourceMappingURL=service-commands.js.map
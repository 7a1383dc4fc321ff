import { formatDuration } from '../../proxy/config/duration.js';
import { lastLines, spawnBridge } from './bridge-process.js';
import { missingInterpreter, PythonMissingError } from './python-env.js';
/** A function's result past this is refused: a journal is no place for it. */
export const MAX_RESULT_BYTES = 16 * 1024 * 1024;
/**
 * The function raised: `message` is `ExceptionType: message`, `exception`
 * the traceback as `traceback.format_exception` lines (Chaos Toolkit's
 * `exception` field of a failed activity).
 */
export class PythonRaised extends Error {
    exception;
    pythonType;
    interrupt;
    logs;
    code = 'PYTHON_RAISED';
    name = 'PythonRaised';
    constructor(message, exception, pythonType, interrupt, logs) {
        super(message);
        this.exception = exception;
        this.pythonType = pythonType;
        this.interrupt = interrupt;
        this.logs = logs;
    }
}
/** The call did not come back: a timeout, an interrupt, a result too large, or a child that died. */
export class PythonCallError extends Error {
    logs;
    code = 'PYTHON_CALL';
    name = 'PythonCallError';
    constructor(message, logs) {
        super(message);
        this.logs = logs;
    }
}
/**
 * Calls `module.func(**arguments)` in a child process of its own: the
 * request goes in on stdin as JSON, the result comes back on fd 3 (stdout
 * is the function's own). Past `timeoutMs`, or when `signal` aborts, the
 * child and everything it started are killed (SIGKILL to its group).
 *
 * @example await callPython(resolvePython(), { module: 'os.path', func: 'exists', arguments: { path: '/tmp' }, configuration: {}, secrets: null, sysPath: [] }, { signal, timeoutMs: 5000, who: 'activity "tmp"' })
 */
export function callPython(choice, call, o) {
    if (o.signal.aborted)
        return Promise.reject(new PythonCallError('interrupted before Python was started'));
    return new Promise((resolve, reject) => {
        const b = spawnBridge('call', choice);
        const chunks = [];
        let size = 0;
        let failed;
        const logs = () => ({ stdout: b.stdout.text(), stderr: b.stderr.text() });
        const fail = (err) => {
            failed ??= err;
            b.kill();
        };
        const name = `${call.module}.${call.func}`;
        const timer = setTimeout(() => fail(new PythonCallError(`Python function ${name} ran past its ${formatDuration(o.timeoutMs)} timeout and was killed`)), o.timeoutMs);
        const onAbort = () => fail(new PythonCallError('interrupted: the Python process was killed'));
        o.signal.addEventListener('abort', onAbort, { once: true });
        b.results.on('data', (d) => {
            size += d.length;
            if (size > MAX_RESULT_BYTES)
                fail(new PythonCallError(`Python function ${name} returned more than ${MAX_RESULT_BYTES / 1024 / 1024} MiB of JSON; return less, or write it to a file and return its path`));
            else
                chunks.push(d);
        });
        b.child.once('error', (err) => {
            clearTimeout(timer);
            o.signal.removeEventListener('abort', onAbort);
            reject(new PythonMissingError(`${o.who} needs Python: ${missingInterpreter(choice, err.code)}`));
        });
        b.child.once('exit', (code, signal) => {
            clearTimeout(timer);
            o.signal.removeEventListener('abort', onAbort);
            // The result channel ends with the child; its logs may lag behind a moment (or be held open by a process it started).
            let settled = false;
            const settle = () => {
                if (settled)
                    return;
                settled = true;
                if (failed)
                    return reject(failed instanceof PythonCallError ? new PythonCallError(failed.message, logs()) : failed);
                let reply;
                try {
                    reply = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                }
                catch {
                    const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
                    const err = lastLines(b.stderr.text());
                    return reject(new PythonCallError(`Python ${why} before ${name} returned${err ? `: ${err}` : ''}`, logs()));
                }
                if (reply.ok)
                    resolve({ value: reply.value ?? null, truthy: reply.truthy ?? null, logs: logs() });
                else
                    reject(new PythonRaised(reply.message ?? 'the function raised', reply.exception ?? [], reply.type ?? 'Exception', reply.interrupt === true, logs()));
            };
            let pending = 3;
            const grace = setTimeout(settle, 500);
            const one = () => {
                if (--pending === 0) {
                    clearTimeout(grace);
                    settle();
                }
            };
            for (const s of [b.results, b.child.stdout, b.child.stderr]) {
                if (s.readableEnded || s.destroyed)
                    one();
                else
                    s.once('close', one);
            }
        });
        // stdin stays open: the child takes its closing as the runner's end, and exits.
        b.stdin.write(`${JSON.stringify({ module: call.module, func: call.func, arguments: call.arguments, configuration: call.configuration, secrets: call.secrets, sys_path: call.sysPath })}\n`);
    });
}
//# sourceMappingURL=call-python.js.map
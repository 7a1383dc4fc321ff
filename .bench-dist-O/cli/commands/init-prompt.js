import { createInterface } from 'node:readline';
import { UsageError } from '../exit.js';
import { addInstance, checkServiceName } from './init-files.js';
/** Answers a question may get wrong before init gives up: a script feeding bad lines must not loop forever. */
const TRIES = 3;
/** Services one session of questions may add. */
const MAX_SERVICES = 100;
/**
 * Asks for the services (a name, then its address; a blank name ends the
 * list) and the region, checking each answer as --service would and asking
 * again when one is refused, TRIES times in a row at most (then exit 2, as
 * for the end of the input before any service).
 */
export async function promptForPlan(io) {
    const rl = createInterface({ input: io.input, output: io.output, terminal: false });
    // Lines are read through the iterator, which buffers them: answers piped in before a question is asked are not lost.
    const lines = rl[Symbol.asyncIterator]();
    const ask = async (question) => {
        io.output.write(question);
        const next = await lines.next();
        return next.done ? undefined : String(next.value).trim();
    };
    let refused = 0;
    const refuse = (why) => {
        io.output.write(`  ${why}\n`);
        if (++refused >= TRIES)
            throw new UsageError(`init: ${why}`);
    };
    try {
        io.output.write('faultmesh init: a mesh file and an experiment for your services.\n');
        const services = [];
        let name;
        while (services.length < MAX_SERVICES) {
            name ??= await ask(services.length ? 'Another service (blank when done): ' : 'Service name (as callers put it in the Host header): ');
            if (name === undefined || name === '')
                break;
            const badName = checkServiceName(name);
            if (badName) {
                refuse(badName);
                name = undefined;
                continue;
            }
            const address = await ask(`Address of ${name} (host:port): `);
            if (address === undefined)
                break;
            const bad = addInstance(services, name, address);
            if (bad) {
                refuse(bad);
                continue;
            }
            refused = 0;
            name = undefined;
        }
        if (services.length === 0)
            throw new UsageError('init: no service given; name at least one (or give --service NAME=HOST:PORT)');
        const region = await ask('Region of these instances (blank for none): ');
        return { services, region: region || undefined };
    }
    finally {
        rl.close();
    }
}
//# sourceMappingURL=init-prompt.js.map
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { connectionBudget } from '../../../proxy/http/connection-limit.js';
import { waitForLine } from '../../helpers/cli.js';
import { send } from '../../helpers/http-client.js';
import { meshYaml, startUpstreams, tempDir } from '../../helpers/mesh-fixture.js';
import { rawClient, type RawClient } from '../../helpers/raw-socket.js';
import { waitFor } from '../../helpers/wait.js';

const main = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url));
const FD_LIMIT = 400;
const ATTACKERS = 600;

// The attack from issue 12: with the proxy's descriptors capped, idle sockets
// beyond what it can open used to make the data plane and the admin API
// unreachable. Now the data plane stops at a budget below the limit, answers
// the rest 503, and the admin API keeps answering.
describe('a proxy with few file descriptors under a flood of idle connections', () => {
  const dir = tempDir();
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let child: ChildProcess;
  let proxyPort: number;
  let adminUrl: string;
  const clients: RawClient[] = [];

  before(async () => {
    const specs = [{ service: 'payments', id: 'pay-1' }];
    upstreams = await startUpstreams(specs);
    const mesh = dir.file('mesh.yaml', meshYaml(specs, upstreams));
    const args = [process.execPath, '--import', 'tsx', main, 'proxy', '--mesh', mesh, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--access-log', 'off', '--headers-timeout', '60s'];
    // `ulimit -n` in the shell that execs the proxy: the same PID, so killing it ends the proxy.
    child = spawn('bash', ['-c', `ulimit -n ${FD_LIMIT} && exec "$@"`, 'bash', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    const [, proxy, admin] = await waitForLine(child, /proxy on http:\/\/127\.0\.0\.1:(\d+), admin on (http:\/\/\S+)\n/);
    proxyPort = Number(proxy);
    adminUrl = admin!;
  });

  after(async () => {
    for (const c of clients) c.socket.destroy();
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    for (const u of upstreams.values()) await u.close();
    dir.remove();
  });

  it('keeps the admin API reachable and answers the clients beyond its budget 503', async () => {
    const budget = connectionBudget(FD_LIMIT)!;
    for (let i = 0; i < ATTACKERS; i++) clients.push(await rawClient(proxyPort));
    // While the flood is on, an emergency halt must still get through.
    const health = await send(adminUrl, { path: '/healthz' }).catch((err: Error) => assert.fail(`the admin API is unreachable: ${err.message}`));
    assert.equal(health.status, 200);

    const answered = () => clients.filter((c) => c.socket.destroyed && c.received().startsWith('HTTP/1.1 503 ')).length;
    await waitFor(() => answered() === ATTACKERS - budget, `${ATTACKERS - budget} clients beyond the budget of ${budget} are answered 503`);
    assert.equal(clients.filter((c) => !c.socket.destroyed).length, budget, 'the budget is held open, not more');
    const refused = await send(`http://127.0.0.1:${proxyPort}`, { headers: { host: 'payments' } });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['x-faultmesh-error'], 'TOO_MANY_CONNECTIONS');
    assert.equal(child.exitCode, null, 'the proxy is still running');
  });
});

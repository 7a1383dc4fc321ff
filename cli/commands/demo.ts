import { join } from 'node:path';
import type { Argv } from 'yargs';
import { startExampleUpstreams } from '../../demo/example-mesh.js';
import { packageRoot } from '../paths.js';
import { handleSignals, proxyOptions, startFromArgs, type ProxyArgs } from './proxy.js';

const EXAMPLE_MESH = join(packageRoot(), 'experiments', 'mesh.yaml');

export const demoCommand = {
  command: 'demo',
  describe: 'run example services from the example mesh file behind a faultmesh proxy',
  builder: (y: Argv) => proxyOptions(y).default('mesh', EXAMPLE_MESH).default('access-log', 'off'),
  handler: async (args: ProxyArgs) => {
    const upstreams = await startExampleUpstreams(args.mesh);
    const proxy = await startFromArgs(args).catch(async (err: unknown) => {
      await Promise.all(upstreams.map((u) => u.close()));
      throw err;
    });
    const p = proxy.proxyUrl;
    process.stdout.write(
      [
        `faultmesh demo: ${upstreams.length} example instances behind a proxy on ${p} (admin ${proxy.adminUrl})`,
        '',
        'Try:',
        `  curl -s -H 'Host: payments' ${p}/api/pay            # weighted 90/10 across v1 and v2`,
        `  curl -s -x ${p} http://payments/api/pay            # the same, as an HTTP proxy client`,
        `  curl -s -H 'Host: payments' -H 'x-customer-id: acme' ${p}/api   # acme is routed to v2`,
        `  curl -si -H 'Host: payments' ${p}/private/keys      # denied by a route: 403`,
        `  curl -si -H 'Host: inventory' '${p}/slow?delay=100'  # peak-EWMA balancing, 100ms upstream delay`,
        `  curl -si -H 'Host: payments' '${p}/api/pay?status=503'  # tried 3 times (payments retries 5xx), then 503`,
        `  curl -si -H 'Host: nosuch' ${p}/                     # unknown service: 404`,
        `  curl -s ${proxy.adminUrl}/v1/services`,
        `  curl -s ${proxy.adminUrl}/metrics | grep -E 'faultmesh_(requests|retries)_total'`,
        '',
        'Ctrl-C stops everything.',
        '',
      ].join('\n'),
    );
    handleSignals(proxy, 2000, async () => {
      await Promise.all(upstreams.map((u) => u.close()));
    });
  },
};

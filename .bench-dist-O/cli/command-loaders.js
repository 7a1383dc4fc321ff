// Each command's module, loaded only when that command runs: a sidecar proxy
// must not carry the runner's, the reports' and the control plane's code
// (etcd's gRPC client among them), which cost it about 30 MiB of idle RSS.
// Top-level help, or a name that is no command, loads them all.
export const COMMANDS = {
    proxy: () => import('./commands/proxy.js').then((m) => (y) => y.command(m.proxyCommand)),
    run: () => import('./commands/run.js').then((m) => (y) => y.command(m.runCommand)),
    report: () => import('./commands/report.js').then((m) => (y) => y.command(m.reportCommand)),
    validate: () => import('./commands/validate.js').then((m) => (y) => y.command(m.validateCommand)),
    demo: () => import('./commands/demo.js').then((m) => (y) => y.command(m.demoCommand)),
    faults: () => import('./commands/faults.js').then((m) => (y) => y.command(m.faultsCommand)),
    gameday: () => import('./commands/gameday.js').then((m) => (y) => y.command(m.gamedayCommand)),
    control: () => import('./commands/control.js').then((m) => (y) => y.command(m.controlCommand)),
    mesh: () => import('./commands/mesh.js').then((m) => (y) => y.command(m.meshCommand)),
    status: () => import('./commands/status.js').then((m) => (y) => y.command(m.statusCommand)),
    canary: () => import('./commands/canary.js').then((m) => (y) => y.command(m.canaryCommand)),
    ca: () => import('./commands/ca.js').then((m) => (y) => y.command(m.caCommand)),
    import: () => import('./commands/import.js').then((m) => (y) => y.command(m.importCommand)),
    toxiproxy: () => import('./commands/toxiproxy.js').then((m) => (y) => y.command(m.toxiproxyCommand)),
    init: () => import('./commands/init.js').then((m) => (y) => y.command(m.initCommand)),
};
/** The name of every command `faultmesh` has, without loading any (`completion` is the parser's own). */
export const COMMAND_NAMES = [...Object.keys(COMMANDS), 'completion'];
export const isCommandName = (word) => word !== undefined && Object.hasOwn(COMMANDS, word);
/** Every command's register, in the order help lists them. */
export const loadAll = () => Promise.all(Object.values(COMMANDS).map((load) => load()));
/** The commands to register for these words: the one named first, else every one. */
export async function commandsFor(words) {
    return isCommandName(words[0]) ? [await COMMANDS[words[0]]()] : loadAll();
}
//# sourceMappingURL=command-loaders.js.map
import { callControl } from '../../control/control-client.js';
import { unifiedDiff } from '../../control/text/unified-diff.js';
import { describeFailure, isOk } from '../../proxy/admin/admin-client.js';
import { formatIssue } from '../../proxy/config/config-error.js';
import { parseMeshAwaitingInstances } from '../../proxy/config/load-mesh.js';
import { readTextFile } from '../../proxy/config/text-file.js';
import { controlTokenOf, oneControlUrl } from '../control-target.js';
import { CommandFailure, EXIT_DIFFERS, EXIT_INVALID } from '../exit.js';
import { JSON_FLAG, printJson } from '../json-output.js';
/** --control and --token, checked before any file is read or request sent: a bad URL or a blank token exits 2. */
const targetOf = (args) => ({ url: oneControlUrl(args.control), token: controlTokenOf(args.token) });
const withControl = (y) => y
    .option('control', { type: 'string', describe: 'control plane URL (or FAULTMESH_CONTROL; default http://127.0.0.1:15100)' })
    .option('token', { type: 'string', describe: 'control token (or FAULTMESH_CONTROL_TOKEN)' });
/** The file read and validated here first, as the control plane will: a bad file exits 2 with file:line:column before any request. */
function readLocal(file) {
    // A missing, oversized or binary file is a ConfigError with its position too.
    const text = readTextFile(file);
    const { mesh, warnings } = parseMeshAwaitingInstances(text, file);
    return { text, normalised: `${JSON.stringify(mesh, null, 2)}\n`, warnings };
}
const printWarnings = (warnings) => {
    for (const w of warnings)
        process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
};
/** A refusal: a mesh the control plane found invalid is bad input (exit 2), anything else a failure (exit 1, thrown, so --json reports it). */
function fail(r) {
    if (r.body.code === 'CONFIG_INVALID' && Array.isArray(r.body.errors)) {
        process.stderr.write(`${r.body.errors.map(formatIssue).join('\n')}\nmesh refused by ${r.admin}; the applied mesh stays\n`);
        process.exitCode = EXIT_INVALID;
        return;
    }
    throw new CommandFailure(describeFailure(r), typeof r.body.code === 'string' ? r.body.code : `HTTP_${r.status}`);
}
async function apply(args) {
    const { url, token } = targetOf(args);
    const local = readLocal(args.file);
    printWarnings(local.warnings);
    const body = { text: local.text, file: args.file, ...(args['expect-version'] === undefined ? {} : { expectVersion: args['expect-version'] }) };
    const r = await callControl(url, 'PUT', '/v1/mesh', token, body);
    if (!isOk(r))
        return fail(r);
    if (r.body.unchanged === true)
        process.stdout.write(`${url}: unchanged: ${args.file} is what mesh version ${String(r.body.version)} holds; nothing written or pushed\n`);
    else
        process.stdout.write(`${url}: applied ${args.file} as mesh version ${String(r.body.version)}\n`);
}
async function current(target) {
    const r = await callControl(target.url, 'GET', '/v1/mesh', target.token);
    if (r.status === 404 && r.body.code === 'NO_MESH')
        return undefined;
    if (!isOk(r)) {
        fail(r);
        return undefined;
    }
    return { text: String(r.body.text), version: Number(r.body.version), body: r.body };
}
async function get(args) {
    const target = targetOf(args);
    const mesh = await current(target);
    if (mesh && args.json)
        printJson(mesh.body);
    else if (mesh) {
        // On stderr, so stdout stays the file as applied (mesh get > mesh.yaml); this is the number --expect-version takes.
        process.stderr.write(`# mesh version ${mesh.version}, applied ${String(mesh.body.appliedAt)} from ${String(mesh.body.file)}\n`);
        process.stdout.write(mesh.text.endsWith('\n') ? mesh.text : `${mesh.text}\n`);
    }
    else if (process.exitCode === undefined) {
        throw new CommandFailure(`${target.url}: no mesh has been applied yet (faultmesh mesh apply FILE)`, 'NO_MESH');
    }
}
async function diff(args) {
    const target = targetOf(args);
    const local = readLocal(args.file);
    const applied = await current(target);
    if (process.exitCode !== undefined)
        return;
    const before = applied === undefined ? '' : args.normalised ? readNormalised(applied.text) : applied.text;
    const out = unifiedDiff(before, args.normalised ? local.normalised : local.text, applied ? `control plane (version ${applied.version})` : 'control plane (no mesh)', args.file);
    // As diff(1) and `git diff --exit-code` tell changes apart, in faultmesh's codes: 3 changes, 0 none, 1 the control plane could not say.
    if (out) {
        process.stdout.write(out);
        process.exitCode = EXIT_DIFFERS;
    }
    else
        process.stderr.write(`no changes: ${args.file} is what version ${applied?.version} holds${args.normalised ? ' (after defaults)' : ''}\n`);
}
const readNormalised = (text) => `${JSON.stringify(parseMeshAwaitingInstances(text, 'applied').mesh, null, 2)}\n`;
export const meshCommand = {
    command: 'mesh <action>',
    describe: "apply, get and diff the control plane's mesh configuration",
    builder: (y) => withControl(y)
        .command('apply <file>', 'validate a mesh file here, then replace the applied mesh with it in one step', (c) => c.positional('file', { type: 'string', demandOption: true, describe: 'the mesh file (YAML); its instances may be left to register' }).option('expect-version', { type: 'number', describe: "refuse (409) unless the applied mesh is still at this mesh version (mesh get's, not the control plane's)" }), (args) => apply(args))
        .command('get', 'print the applied mesh (YAML, as it was applied; its mesh version on stderr)', (c) => c.option('json', { ...JSON_FLAG, describe: 'print {version, text, file, appliedAt} as one JSON document' }), (args) => get(args))
        .command('diff <file>', 'show what applying a mesh file would change (unified diff); exits 3 when it would change anything', (c) => c.positional('file', { type: 'string', demandOption: true, describe: 'the mesh file to compare with the applied mesh' }).option('normalised', { type: 'boolean', default: false, describe: 'compare the meshes after parsing and defaults (JSON), so comments and layout do not count' }), (args) => diff(args))
        .demandCommand(1),
    handler: () => { },
};
//# sourceMappingURL=mesh.js.map
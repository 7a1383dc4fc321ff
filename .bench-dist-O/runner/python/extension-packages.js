/**
 * Chaos Toolkit extensions' import names and the pip packages that install
 * them. Only mappings known for sure: a wrong package name sends a user to
 * install something else, so an unknown module gets no name at all.
 */
export const EXTENSION_PACKAGES = {
    chaosk8s: 'chaostoolkit-kubernetes',
    chaosaws: 'chaostoolkit-aws',
    chaosazure: 'chaostoolkit-azure',
    chaosgcp: 'chaostoolkit-google-cloud-platform',
    chaostoxi: 'chaostoolkit-toxiproxy',
    chaosprometheus: 'chaostoolkit-prometheus',
    chaosspring: 'chaostoolkit-spring',
    chaosistio: 'chaostoolkit-istio',
};
/**
 * What to do about a top-level module the interpreter does not have: install
 * it for that interpreter (with the pip package when it is known), use
 * another interpreter, or put its folder on PYTHONPATH.
 *
 * @example importAdvice('chaosk8s', { interpreter: 'python3', from: 'PATH' })
 * // 'install it for that interpreter (python3 -m pip install chaostoolkit-kubernetes?) or name another with --python PATH / FAULTMESH_PYTHON, or add its folder to PYTHONPATH'
 */
export function importAdvice(missing, choice) {
    const pkg = Object.hasOwn(EXTENSION_PACKAGES, missing) ? EXTENSION_PACKAGES[missing] : undefined;
    const install = pkg ? `install it for that interpreter (${choice.interpreter} -m pip install ${pkg}?)` : 'install it for that interpreter';
    return `${install} or name another with --python PATH / FAULTMESH_PYTHON, or add its folder to PYTHONPATH`;
}
//# sourceMappingURL=extension-packages.js.map
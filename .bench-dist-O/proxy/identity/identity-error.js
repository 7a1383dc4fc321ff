/**
 * Thrown by the identity modules. `file` names the file at fault when there
 * is one. Messages never carry key material: they name files and fields.
 */
export class IdentityError extends Error {
    name = 'IdentityError';
    code;
    file;
    constructor(code, message, file) {
        super(file === undefined ? message : `${file}: ${message}`);
        this.code = code;
        this.file = file;
    }
}
//# sourceMappingURL=identity-error.js.map
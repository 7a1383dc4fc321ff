/**
 * Thrown by the mesh CA. Messages name files and fields, never key
 * material: the CA key must not reach a log, a journal or an HTTP body.
 */
export class CaError extends Error {
    name = 'CaError';
    code;
    file;
    constructor(code, message, file) {
        super(file === undefined ? message : `${file}: ${message}`);
        this.code = code;
        this.file = file;
    }
    /** The same fields a caller would log; spelled out so nothing else is ever serialised. */
    toJSON() {
        return { name: this.name, code: this.code, message: this.message, ...(this.file === undefined ? {} : { file: this.file }) };
    }
}
//# sourceMappingURL=ca-error.js.map
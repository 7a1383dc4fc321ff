/** A /populate that failed part way: Toxiproxy answers the error with the proxies it had done. */
export class PopulateError extends Error {
    error;
    proxies;
    name = 'PopulateError';
    constructor(error, proxies) {
        super(error.message);
        this.error = error;
        this.proxies = proxies;
    }
}
//# sourceMappingURL=registry.js.map
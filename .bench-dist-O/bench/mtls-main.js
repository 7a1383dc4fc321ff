import { mtlsBench } from './mtls.js';
// npm run bench:mtls: the mTLS bench on its own (npm run bench runs it after the data-plane bench).
mtlsBench().then(() => process.exit(0), (err) => {
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=mtls-main.js.map
import { BenchSettingError, controlBench } from './control-bench.js';
// npm run bench:control: the control-plane bench on its own (npm run bench runs it after the data-plane bench).
controlBench().then(() => process.exit(0), (err) => {
    if (err instanceof BenchSettingError) {
        console.error(`bench:control: ${err.message}`);
        process.exit(2);
    }
    console.error(err);
    process.exit(1);
});
//# sourceMappingURL=main.js.map
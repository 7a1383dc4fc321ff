import { tracingBench } from './tracing.js';

// npm run bench:tracing: the tracing bench on its own (npm run bench runs it after the data-plane bench).
tracingBench().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

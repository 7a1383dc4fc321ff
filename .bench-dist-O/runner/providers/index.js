import { runFault } from './fault.js';
import { runHttp } from './http.js';
import { runLoad } from './load.js';
import { runMetric } from './metric.js';
import { runProcess } from './process.js';
import { runPrometheus } from './prometheus.js';
import { runPython } from './python.js';
/** Runs any provider; each type has its own module. Throws when the provider itself fails. */
export function runProvider(p, ctx) {
    switch (p.type) {
        case 'http':
            return runHttp(p, ctx);
        case 'process':
            return runProcess(p, ctx);
        case 'fault':
            return runFault(p, ctx);
        case 'metric':
            return runMetric(p, ctx);
        case 'load':
            return runLoad(p, ctx);
        case 'prometheus':
            return runPrometheus(p, ctx);
        case 'python':
            return runPython(p, ctx);
    }
}
//# sourceMappingURL=index.js.map
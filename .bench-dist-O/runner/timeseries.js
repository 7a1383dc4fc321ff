// What a run's sampler records of the mesh (runner/sampler.ts), for reports' charts: part of the journal.
export {};
//# sourceMappingURL=timeseries.js.map
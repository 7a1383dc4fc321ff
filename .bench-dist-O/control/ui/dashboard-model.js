export {};
//# sourceMappingURL=dashboard-model.js.map
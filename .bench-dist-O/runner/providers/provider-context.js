export {};
//# sourceMappingURL=provider-context.js.map
export {};
//# sourceMappingURL=mesh-source.js.map
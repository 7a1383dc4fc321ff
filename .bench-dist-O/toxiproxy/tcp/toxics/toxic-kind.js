export {};
//# sourceMappingURL=toxic-kind.js.map
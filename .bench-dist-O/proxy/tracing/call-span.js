export {};
//# sourceMappingURL=call-span.js.map
/**
 * Reads as much of a cut-off JSON text as can be read: it drops the element
 * being written when the text ended and closes every object and array still
 * open. A journal cut short (a full disk, a copy taken mid-write) still
 * yields what it recorded. Returns undefined when nothing can be saved.
 */
export function salvageJson(text) {
    const stack = [];
    /** Places where the text can be cut: after an opening bracket, or before a comma, with the closers needed there. */
    const cuts = [];
    let inString = false;
    let escaped = false;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c === '\\')
                escaped = true;
            else if (c === '"')
                inString = false;
            continue;
        }
        if (c === '"')
            inString = true;
        else if (c === '{' || c === '[') {
            stack.push(c === '{' ? '}' : ']');
            cuts.push({ end: i + 1, closers: [...stack].reverse().join('') });
        }
        else if (c === '}' || c === ']')
            stack.pop();
        else if (c === ',')
            cuts.push({ end: i, closers: [...stack].reverse().join('') });
    }
    // The latest cut that parses keeps the most; a few dozen tries are plenty.
    for (const cut of cuts.reverse().slice(0, 64)) {
        try {
            return JSON.parse(text.slice(0, cut.end) + cut.closers);
        }
        catch {
            // A cut inside a key or after a dangling key: try an earlier one.
        }
    }
    return undefined;
}
//# sourceMappingURL=salvage-json.js.map
/** One server-sent event; `data` is one line of JSON, so it never needs splitting. */
export function sseEvent(event, data, id) {
    return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}
//# sourceMappingURL=snapshot.js.map
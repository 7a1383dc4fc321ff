import { Cron } from 'croner';
const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/;
/** Whether `zone` is a time zone this Node knows (IANA names such as Europe/Berlin, or UTC). */
export function isTimeZone(zone) {
    try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
    }
    catch {
        return false;
    }
}
/**
 * A wall-clock time in a time zone (`2026-12-01T09:15`) as an instant.
 * croner does the zone arithmetic, daylight-saving changes included: a time
 * that does not exist on the day the clocks go forward moves to the jump.
 */
export function localToInstant(local, zone) {
    if (!LOCAL.test(local))
        return undefined;
    try {
        return new Cron(local.length === 16 ? `${local}:00` : local, { timezone: zone }).nextRun(new Date(0)) ?? undefined;
    }
    catch {
        return undefined;
    }
}
/** An instant as wall-clock time in a zone, with its offset: `2026-12-01 09:15:00 CET`. */
export function formatIn(date, zone) {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short' }).formatToParts(date);
    const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
}
//# sourceMappingURL=local-time.js.map
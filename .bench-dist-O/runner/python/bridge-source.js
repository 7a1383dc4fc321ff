import { CHECK_SOURCE } from './bridge-check-source.js';
/**
 * The Python side of the bridge, run with `python3 -u -c BRIDGE_SOURCE MODE`.
 * It lives here as a string because the build (tsc) ships no other files.
 * It imports only the standard library: chaoslib is not needed, and what it
 * does (inspect.signature, configuration and secrets by parameter name, the
 * journal encoder) is done here the same way.
 *
 * Modes: `call` (one provider function per process: a JSON line on stdin,
 * the result on fd 3), `check` (validation of many activities and
 * controls at once, in bridge-check-source.ts) and `controls` (one long-lived process per run,
 * JSON lines on stdin, replies on fd 3). fd 3, not stdout: the user's
 * functions print.
 */
export const BRIDGE_SOURCE = String.raw `
import datetime, decimal, enum, inspect, importlib, json, logging, math, os, queue, sys, threading, traceback, uuid
from collections.abc import Mapping, Set

MAX_DEPTH = 100

def result_channel():
    # A non-inheritable copy: a subprocess the user's code starts cannot hold the channel open after we exit.
    fd = os.dup(3)
    os.close(3)
    return os.fdopen(fd, "wb")

def reply(out, doc):
    out.write(json.dumps(doc, ensure_ascii=True, allow_nan=False).encode("ascii") + b"\n")
    out.flush()

def key_of(k):
    if isinstance(k, str):
        return k
    if k is None or isinstance(k, (bool, int, float)):
        return json.dumps(k)
    return str(k)

def to_json(value, depth=0, seen=None):
    """Chaos Toolkit's journal encoder (dates in ISO form, Decimal and UUID as text), and a value for what it would refuse."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, enum.Enum):
        return to_json(value.value, depth + 1, seen)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, BaseException):
        return "An exception was raised: %s('%s')" % (type(value).__name__, value)
    if depth > MAX_DEPTH:
        return "<nested too deep>"
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return "<circular reference>"
    seen.add(id(value))
    try:
        if isinstance(value, Mapping):
            return {key_of(k): to_json(v, depth + 1, seen) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [to_json(v, depth + 1, seen) for v in value]
        if isinstance(value, Set):
            items = list(value)
            try:
                items.sort()
            except TypeError:
                pass
            return [to_json(v, depth + 1, seen) for v in items]
    finally:
        seen.discard(id(value))
    return repr(value)

def truthy(value):
    try:
        return bool(value)
    except Exception:
        return None

def is_interrupt(x):
    return any(c.__name__ == "InterruptExecution" for c in type(x).__mro__)

def failure(x, skip_frames=1):
    tb = x.__traceback__
    # The bridge's own frames are dropped: the traceback starts where the user's code does.
    for _ in range(skip_frames):
        tb = tb.tb_next if tb is not None else None
    lines = traceback.format_exception(type(x), x, tb)
    only = [l for l in traceback.format_exception_only(type(x), x) if not l.startswith(" ")]
    message = (only[0] if only else repr(x)).strip()
    return {"ok": False, "type": type(x).__name__, "message": message, "exception": lines, "interrupt": is_interrupt(x)}

def extend_path(paths):
    # The experiment's folder and the current directory, as chaos run would find a local module.
    for p in reversed(paths or []):
        if p not in sys.path:
            sys.path.insert(0, p)

def parameters(func):
    try:
        return inspect.signature(func).parameters
    except (TypeError, ValueError):
        return None

def watch_stdin(lines=None):
    # The runner holds stdin open while it lives: when it closes (the runner ended or died), nothing here outlives it.
    def read():
        for line in sys.stdin.buffer:
            if lines is not None:
                lines.put(line)
        if lines is None:
            os._exit(1)
        lines.put(None)
        # A hook still running gets a moment to end; then the process goes anyway.
        threading.Event().wait(5)
        os._exit(0)
    threading.Thread(target=read, daemon=True).start()

def finish(code=0):
    try:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)

def call_mode():
    out = result_channel()
    request = json.loads(sys.stdin.buffer.readline())
    watch_stdin()
    extend_path(request.get("sys_path"))
    func = params = None
    args = dict(request.get("arguments") or {})
    try:
        func = getattr(importlib.import_module(request["module"]), request["func"])
        params = parameters(func)
        # As chaoslib does: secrets only when the provider declares scopes, both only when the function takes them.
        if params is not None and request.get("secrets") is not None and "secrets" in params:
            args["secrets"] = request["secrets"]
        if params is not None and "configuration" in params:
            args["configuration"] = dict(request.get("configuration") or {})
        result = func(**args)
    except BaseException as x:
        doc = failure(x)
        # Said as validate warned it: a builtin's arguments are its C code's to refuse.
        if isinstance(x, TypeError) and params is None and args and is_builtin(func):
            doc["message"] += " (%s.%s is a builtin without a signature; %s)" % (request["module"], request["func"], KEYWORDS_NOTE)
        reply(out, doc)
        finish()
    try:
        doc = {"ok": True, "value": to_json(result), "truthy": truthy(result)}
    except BaseException as x:
        doc = failure(x)
        doc["message"] = "the result could not be written as JSON: " + doc["message"]
    reply(out, doc)
    finish()

LEVEL_ARGUMENTS = ("secrets", "configuration", "state", "experiment", "extensions", "settings")

def control_hook(run, msg):
    mod = importlib.import_module(msg["module"])
    func = getattr(mod, msg["func"], None)
    # A control implements only the hooks it wants, as in chaoslib.
    if func is None:
        return {"ok": True, "skipped": True}
    params = parameters(func) or {}
    # cleanup_control is called with nothing, as chaoslib calls it.
    args = {} if msg["func"] == "cleanup_control" else dict(msg.get("arguments") or {})
    given = {"secrets": run.get("secrets"), "configuration": run.get("configuration"), "experiment": run.get("experiment"), "extensions": (run.get("experiment") or {}).get("extensions"), "settings": None, "event_registry": None, "state": msg.get("state")}
    if msg["func"] == "configure_control":
        wanted = ("experiment", "secrets", "configuration", "settings", "event_registry")
    elif msg["func"] == "cleanup_control":
        wanted = ()
    else:
        wanted = LEVEL_ARGUMENTS
    for k in wanted:
        if k in params:
            args[k] = given[k]
    if msg["func"] in ("configure_control", "cleanup_control"):
        func(**args)
    else:
        context = run.get("experiment") if msg.get("context_is_experiment") else msg.get("context")
        func(context=context, **args)
    return {"ok": True}

def controls_mode():
    out = result_channel()
    lines = queue.Queue()
    watch_stdin(lines)
    run = {}
    while True:
        line = lines.get()
        if line is None:
            finish()
        msg = json.loads(line)
        try:
            if msg["op"] == "init":
                run.update(msg)
                extend_path(msg.get("sys_path"))
                doc = {"ok": True}
            else:
                doc = control_hook(run, msg)
        except BaseException as x:
            doc = failure(x)
        doc["id"] = msg["id"]
        reply(out, doc)

${CHECK_SOURCE}
MODES = {"call": call_mode, "check": check_mode, "controls": controls_mode}
MODES[sys.argv[1]]()
`;
//# sourceMappingURL=bridge-source.js.map
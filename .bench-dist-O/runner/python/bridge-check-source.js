/**
 * The `check` mode of the Python bridge (bridge-source.ts puts it into the
 * one script): whether each activity's module imports, its function exists
 * and its arguments fit, as chaoslib's validation finds out, with what may
 * help when they do not ("did you mean", the interpreter that was used).
 * Each problem is `{field, message}`, plus `level: "warning"` for what could
 * not be checked, and `missing` (a module no folder on sys.path has) so the
 * runner can say which package installs it (extension-packages.ts).
 */
export const CHECK_SOURCE = String.raw `
import difflib, pkgutil, platform, types

METH_KEYWORDS, METH_NOARGS, METH_O = 0x2, 0x4, 0x8

def interpreter():
    return "%s (Python %s)" % (sys.executable or "python", platform.python_version())

def did_you_mean(word, names, cutoff=0.6):
    close = difflib.get_close_matches(word, sorted(set(names)), n=3, cutoff=cutoff)
    return "; did you mean %s?" % " or ".join("'%s'" % c for c in close) if close else ""

def import_problem(name, x):
    problem = {"field": "module", "message": "cannot import Python module '%s' with %s: %s" % (name, interpreter(), failure(x)["message"])}
    missing = x.name if isinstance(x, ModuleNotFoundError) and x.name else None
    if not missing:
        return problem
    within = name == missing or name.startswith(missing + ".")
    parent, _, part = missing.rpartition(".")
    rest = name[len(missing):] if within else ""
    if within and parent:
        # A misspelt part of a package that imports: the modules beside it, and those it holds as attributes (os.path).
        try:
            above = importlib.import_module(parent)
            siblings = [n for n, v in vars(above).items() if inspect.ismodule(v)]
            siblings += [m.name for m in pkgutil.iter_modules(getattr(above, "__path__", None) or [])]
        except BaseException:
            siblings = []
        close = difflib.get_close_matches(part, siblings, n=1)
        if close:
            problem["message"] += "; did you mean '%s.%s%s'?" % (parent, close[0], rest)
        return problem
    if within:
        # A misspelt top-level name (chaosk8 for chaosk8s): only a close one, or it is a package to install.
        tops = [m.name for m in pkgutil.iter_modules()] + list(sys.builtin_module_names)
        close = difflib.get_close_matches(missing, tops, n=1, cutoff=0.8)
        if close:
            problem["message"] += "; did you mean '%s%s'?" % (close[0], rest)
            return problem
    problem["missing"] = missing.split(".")[0]
    return problem

def c_flags(func):
    # Whether a C function takes keyword arguments is kept only in its PyMethodDef's ml_flags, which Python does not show.
    # PyCFunctionObject is the object header (object.__basicsize__ bytes in any build) and then a pointer to that PyMethodDef.
    # The name found there must be the function's own; else the layout is not the one expected, and nothing is said.
    if sys.implementation.name != "cpython" or not isinstance(func, types.BuiltinFunctionType):
        return None
    try:
        import ctypes
        class MethodDef(ctypes.Structure):
            _fields_ = [("ml_name", ctypes.c_char_p), ("ml_meth", ctypes.c_void_p), ("ml_flags", ctypes.c_int), ("ml_doc", ctypes.c_char_p)]
        address = ctypes.c_void_p.from_address(id(func) + object.__basicsize__).value
        if not address:
            return None
        ml = MethodDef.from_address(address)
        return ml.ml_flags if ml.ml_name == func.__name__.encode() else None
    except Exception:
        return None

KEYWORDS_NOTE = "Chaos Toolkit calls it with keyword arguments, which most builtins refuse"

def is_builtin(func):
    return isinstance(func, types.BuiltinFunctionType)

def unsigned(module, name, func, given):
    shown = "%s.%s" % (module, name)
    flags = c_flags(func)
    pause = "; for a pause, give the activity pauses: {after: SECONDS}" if (module, name) == ("time", "sleep") else ""
    if flags is not None and given and not flags & METH_KEYWORDS:
        return [{"field": "arguments", "message": "%s is a builtin that takes no keyword arguments, and Chaos Toolkit passes %s by keyword: it would fail with TypeError when it runs (chaos run refuses it before: it finds no signature); call it from a Python function of your own that takes named arguments%s" % (shown, ", ".join("'%s'" % a for a in given), pause)}]
    if flags is not None and not given and flags & METH_O:
        return [{"field": "arguments", "message": "%s is a builtin that takes one argument by position, and Chaos Toolkit can pass arguments only by keyword: it would fail with TypeError when it runs; call it from a Python function of your own%s" % (shown, pause)}]
    if flags is not None and not given and flags & METH_NOARGS:
        return []
    if not is_builtin(func):
        return [{"field": "func", "level": "warning", "message": "cannot check the arguments of %s: Python shows no signature of it" % shown}]
    if given:
        return [{"field": "arguments", "level": "warning", "message": "cannot check the arguments of %s: it is a builtin without a signature; %s" % (shown, KEYWORDS_NOTE)}]
    return [{"field": "func", "level": "warning", "message": "cannot check the arguments of %s: it is a builtin without a signature" % shown}]

def check_activity(check):
    problems = []
    name = check["module"]
    try:
        mod = importlib.import_module(name)
    except BaseException as x:
        return [import_problem(name, x)]
    if check.get("control"):
        validate = getattr(mod, "validate_control", None)
        if callable(validate):
            try:
                validate(check["control"])
            except BaseException as x:
                problems.append({"field": "", "message": "%s.validate_control refused this control: %s" % (name, failure(x)["message"])})
        return problems
    func = getattr(mod, check["func"], None)
    if func is None:
        names = [n for n in dir(mod) if not n.startswith("_") and callable(getattr(mod, n, None))]
        return [{"field": "func", "message": "Python module '%s' has no function '%s'%s" % (name, check["func"], did_you_mean(check["func"], names))}]
    if not callable(func):
        return [{"field": "func", "message": "'%s.%s' is not a function" % (name, check["func"])}]
    params = parameters(func)
    if params is None:
        return unsigned(name, check["func"], func, list(check.get("arguments") or []))
    shown = "%s.%s%s" % (name, check["func"], inspect.signature(func))
    given = set(check.get("arguments") or [])
    # chaoslib passes these by name whenever the function takes them, so they count as given.
    given.update(k for k in ("secrets", "configuration") if k in params)
    takes_any = any(p.kind == p.VAR_KEYWORD for p in params.values())
    for p in params.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.kind == p.POSITIONAL_ONLY and p.name in given and p.name in (check.get("arguments") or []):
            problems.append({"field": "arguments." + p.name, "message": "%s takes '%s' by position only, so it cannot be given by name" % (shown, p.name)})
        elif p.default is p.empty and p.name not in given:
            problems.append({"field": "arguments", "message": "required argument '%s' is missing: %s" % (p.name, shown)})
    if not takes_any:
        for a in check.get("arguments") or []:
            if a not in params:
                problems.append({"field": "arguments." + a, "message": "argument '%s' is not a parameter of %s" % (a, shown)})
    return problems

def check_mode():
    out = result_channel()
    request = json.loads(sys.stdin.buffer.read())
    extend_path(request.get("sys_path"))
    results = []
    for check in request["checks"]:
        try:
            results.append(check_activity(check))
        except BaseException as x:
            results.append([{"field": "", "message": "checking it failed: %s" % failure(x)["message"]}])
    reply(out, {"ok": True, "results": results})
    finish()
`;
//# sourceMappingURL=bridge-check-source.js.map
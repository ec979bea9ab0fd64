"""Each selection of the row path (schema/rijenpad.py) as one generated Python function: the fields'
reads in order, then the answer's dict in one expression, children built by their own functions.

What it does is `_Run.object_`'s walk, unrolled: the object's audiences, controleer's verdicts for
them (schema/rijenpad.py `_Selectie.tabel`), the access-log entries they note; an object with a
denied field is built by that walk instead, with its errors. A plain column is read as an
attribute, anything else through its reader (schema/rijenlezers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .rijengegevens import Terugval
from .rijenlezers import ALS_TEKST, ATTRIBUUT, EXPRESSIE, ONDERWERP, ONDERWERP_EXPRESSIE, RECORDS, EnumOmzetting

_VAN_OUDER = ONDERWERP["Naam"]  # an object of its parent's owner


def genereer(sel: Any) -> Callable[..., dict[str, Any]]:
    """(run, source, owner, path) -> the object's answer; its children's functions exist already."""
    ns: dict[str, Any] = {"sel": sel, "Terugval": Terugval, "GEEN": frozenset()}
    # `tabel`: the verdicts when the parent knows them (its own owner's, schema/rijenpad.py
    # `_Tabel.kinderen`), else None and looked up here.
    regels = ["def bouw(run, bron, onderwerp, pad, tabel):", "    if tabel is None:"]
    if sel.vrij:
        regels.append("        groepen = GEEN")
    else:
        regels += [
            "        groepen = run.bekend(onderwerp)",
            "        if groepen is None:",
            "            raise Terugval('audiences not known')",
        ]
    regels += [
        "        tabel = sel.tabellen.get((groepen, onderwerp.leraar_id is not None, type(run.viewer)))",
        "        if tabel is None:",
        "            tabel = sel.tabel(run.regels, run.viewer, groepen, onderwerp)",
        "    if tabel.doelgroep is not None:",
        "        run.noteer(onderwerp, tabel)",
        "    if tabel.weigert:",
        "        return run.object_(sel, bron, onderwerp, pad, tabel)",
    ]
    waarden = []
    record = sel.type_naam in RECORDS
    for i, v in enumerate(sel.velden):
        attribuut = ATTRIBUUT.get(v.lees)
        if v.lees in EXPRESSIE:
            expressie, namen = EXPRESSIE[v.lees]
            ns.update(namen)
            regels.append(f"    w{i} = {expressie}")
        elif record and attribuut is not None:
            regels.append(f"    w{i} = bron[{attribuut!r}]")
        elif record and v.lees in ALS_TEKST:
            regels.append(f"    w{i} = str(bron[{ALS_TEKST[v.lees]!r}])")
        elif attribuut is not None and attribuut.isidentifier():
            regels.append(f"    w{i} = bron.{attribuut}")
        else:
            ns[f"L{i}"] = v.lees
            regels.append(f"    w{i} = L{i}(bron, run)")
        if v.verplicht:
            regels += [f"    if w{i} is None:", "        raise Terugval('null for a non-null field')"]
        if v.kind is None:
            if v.zet_om is None:
                waarde = f"w{i}"
            else:
                ns[f"Z{i}"] = v.zet_om
                waarde = f"Z{i}(w{i})"
                if isinstance(v.zet_om, EnumOmzetting):  # a known value without a call; a new one through it
                    ns[f"E{i}"] = v.zet_om.bewaard
                    waarde = f"(E{i}.get(w{i}) or Z{i}(w{i}))"
        else:
            ns[f"B{i}"] = v.kind.bouw
            van = v.kind.onderwerp_van
            van_ouder = van is _VAN_OUDER
            if not van_ouder:
                ns[f"O{i}"] = van

            # The child's verdicts are its parent's child table when its owner is the parent's
            # (the same Onderwerp object: the same audiences, the same kind of owner and viewer).
            doorgeven = sel.tabel_kind(i)
            if doorgeven:
                regels.append(f"    K{i} = tabel.kinderen[{i}]")

            def eigenaar(x: str, i: int = i, van: Any = van, van_ouder: bool = van_ouder) -> str:
                if van_ouder:
                    return "onderwerp"
                if van in ONDERWERP_EXPRESSIE:
                    return ONDERWERP_EXPRESSIE[van].format(x=x)
                return f"O{i}({x}, onderwerp, run)"

            def kind(x: str, i: int = i, van_ouder: bool = van_ouder, doorgeven: bool = doorgeven) -> tuple[str, str]:
                """(the child's owner, its verdicts) as expressions."""
                if not doorgeven:
                    return eigenaar(x), "None"
                if van_ouder:
                    return "onderwerp", f"K{i}"
                return f"(o := {eigenaar(x)})", f"(K{i} if o is onderwerp else None)"

            if v.lijst:
                regels.append(f"    kp{i} = (pad, {v.sleutel!r})")
                o, k = kind("x")
                waarde = f"[B{i}(run, x, {o}, (kp{i}, j), {k}) for j, x in enumerate(w{i})]"
            else:
                o, k = kind(f"w{i}")
                waarde = f"B{i}(run, w{i}, {o}, (pad, {v.sleutel!r}), {k})"
        if not v.verplicht and waarde != f"w{i}":
            waarde = f"(None if w{i} is None else {waarde})"
        waarden.append(f"{v.sleutel!r}: {waarde}")
    regels.append("    return {" + ", ".join(waarden) + "}")
    exec(compile("\n".join(regels), f"<rijenpad {sel.type_naam}>", "exec"), ns)
    bouw: Callable[..., dict[str, Any]] = ns["bouw"]
    return bouw

"""Command line: ``python -m statushouders <command>`` for operators and CI."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from . import audit, audit_anchor, audit_keys, catalogs, config, db, seed
from .budget import cli as budget_cli


def _migrate(_args) -> int:
    from . import kpis

    db.migrate()
    with db.session_scope() as session:  # after a release the dashboard's rollup may need a rebuild: do it now
        kpis.refresh_rollup(session, date.today())
    with db.session_scope() as session:  # pin the audit log as the upgrade found it (also rows from before the key)
        audit_anchor.write(session, pin_unkeyed=True)
    print(f"Database bijgewerkt: {config.database_url()}")
    return 0


def _seed(_args) -> int:
    db.migrate()
    with db.session_scope() as session:
        created = seed.seed(session, date.today())
    print("Demodata aangemaakt." if created else "Demodata stond er al.")
    return 0


def _verify_audit(_args) -> int:
    """Exit 0: intact and checked in full (and anchored anew); 1: broken; 2: could not be checked in full."""
    with db.session_scope() as session:
        report = audit.verify(session)
        anchor = audit_anchor.write(session) if report.ok and audit_keys.known() else None
    for problem in report.anchor_problems:
        print(f"Anker ONGELDIG: {problem}", file=sys.stderr)
    if report.broken_at is not None:
        print(f"Auditlog GEBROKEN bij regel {report.broken_at}: {report.reason}", file=sys.stderr)
        return 1
    if report.anchor_problems:
        print("Auditlog NIET TE VERTROUWEN: het ankerbestand is gewijzigd.", file=sys.stderr)
        return 1
    if report.unchecked:
        print(f"Auditlog NIET VOLLEDIG GECONTROLEERD ({report.entries} regels, koppeling klopt): {report.unchecked}",
              file=sys.stderr)
        return 2
    print(f"Auditlog intact: {report.entries} regels, keten klopt met de sleutel en {report.anchors} anker(s).")
    if report.legacy:
        print(f"  {report.legacy} regels van vóór de auditsleutel (SHA-256 zonder sleutel), gedekt door de sleutel "
              "of een anker van erna.")
    if anchor is not None:
        print(f"Anker geschreven: regel {anchor.last_id}, {anchor.count} regels -> {config.audit_anchor_file()}")
    return 0


def _logins(_args) -> int:
    import pyotp

    from .policy import requires_second_factor

    kinds = {name: kind for name, kind, *_rest in seed.ORGANISATIONS}
    print("Demo-logins (wachtwoord voor iedereen: %s):" % seed.DEMO_PASSWORD)
    print("Accounts met TOTP: voeg het geheim toe aan een authenticator-app, of typ de code die hier staat")
    print("(geldig ongeveer 30 seconden; `python -m statushouders logins` toont een nieuwe).")
    for username, full_name, org, role in seed.USERS:
        line = f"  {username:<15} {full_name:<18} {org:<25} {role:<12}"
        if requires_second_factor(kinds[org], role):
            secret = seed.demo_totp_secret(username)
            line += f" TOTP {pyotp.TOTP(secret).now()}  geheim {secret}"
        print(line)
    return 0


def _python_catalogs():
    from .own_messages import CATALOG as OWN_VIEW

    return (catalogs.STAFF, OWN_VIEW)


def _translations(args) -> int:
    """One workflow for every catalog: the letters (Jinja2), the staff UI and the own view (Python)."""
    from .letters import catalog as letter_catalog

    if args.action == "extract":
        extracted = letter_catalog.extract()
        print(f"{len(extracted)} briefteksten verzameld in {letter_catalog.POT_FILE}.")
        for domain in _python_catalogs():
            print(f"{catalogs.extract(domain)} teksten verzameld in {domain.template}.")
    elif args.action == "update":
        for locale, (new, obsolete) in letter_catalog.update().items():
            print(f"letters {locale:<6} {new} nieuw, {obsolete} vervallen")
        for domain in _python_catalogs():
            for locale, open_count in catalogs.update(domain).items():
                print(f"{domain.name} {locale:<6} {open_count} nog te vertalen")
    elif args.action == "compile":
        written = catalogs.compile_all()
        print(f"Catalogi gecompileerd: {len(written)} bijgewerkt.")
    elif args.action == "report":
        rows = letter_catalog.report()
        print(letter_catalog.format_report(rows))
        complete = all(row.complete for row in rows)
        for domain in _python_catalogs():
            for locale in domain.locales:
                done, total = catalogs.completeness(domain, locale)
                complete = complete and done == total
                print(f"{domain.name:<8} {locale:<6} {100 * done // max(total, 1):>3}% vertaald ({done}/{total})")
        if args.strict and not complete:
            return 1
    return 0


def _personas(args) -> int:
    from .personas import cli

    if args.action == "run":
        return cli.run(args.directory, html_dir=args.html, pdf_dir=args.pdf)
    return cli.validate(args.directory or cli.schema.PERSONAS_DIR)


def _letters(args) -> int:
    from .letters import cli

    return cli.run(args)


def _plans(args) -> int:
    from . import plan_templates

    try:
        templates = plan_templates.load_templates()
        plan_templates.load_norms()
        plan_templates.load_facts()
    except plan_templates.TemplateError as exc:
        print(f"Sjabloonfout: {exc}", file=sys.stderr)
        return 1
    for domain, actions in templates.items():
        counts = ", ".join(f"{lv}: {sum(a.level == lv for a in actions)}" for lv in plan_templates.LEVELS)
        print(f"  {plan_templates.DOMAINS[domain]:<30} {counts}")
    print("Plansjablonen en normen in orde.")
    return 0


def _generate(args) -> int:
    from . import generate

    url = args.database_url or config.database_url()
    counts = generate.generate(url, persons=args.persons, seed=args.seed,
                               today=date.fromisoformat(args.today) if args.today else None)
    print("Gegenereerd: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
    return 0


def _outbox(args) -> int:
    """send: exit 0 all delivered, 1 some failed (they stay in the outbox with the error), 2 no SMTP configured."""
    from sqlalchemy import func, select

    from . import notify
    from .models import OutboxMessage

    if args.action == "status":
        with db.session_scope() as session:
            counts = dict(session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
        for status, label in notify.STATUS_LABELS.items():
            print(f"  {counts.get(status, 0):>6}  {label}")
        return 0
    if not config.smtp_configured():
        print("Geen SMTP-server ingesteld (STATUSHOUDERS_SMTP_HOST): de berichten blijven in de outbox.", file=sys.stderr)
        return 2
    report = notify.deliver_pending(include_held=args.held, retry_all=True)
    print(f"Verzonden: {report.sent}; mislukt: {report.failed}.")
    for line in report.errors[:20]:
        print(f"  {line}", file=sys.stderr)
    return 1 if report.failed else 0


def _serve(args) -> int:
    from . import serve

    problems = serve.problems(args.workers)
    if problems:
        print("Productiestart geweigerd:\n  " + "\n  ".join(problems) + "\nZie docs/deploy.md.", file=sys.stderr)
        return 2
    _migrate(args)
    serve.serve(args.port, args.workers, args.host)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m statushouders")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="database naar de nieuwste migratie").set_defaults(run=_migrate)
    sub.add_parser("seed", help="migreren en demodata aanmaken").set_defaults(run=_seed)
    sub.add_parser("verify-audit", help="auditlog controleren tegen sleutel en ankers, en verankeren (exit 1 gebroken, 2 onvolledig)").set_defaults(run=_verify_audit)
    sub.add_parser("logins", help="demo-logins tonen").set_defaults(run=_logins)
    translations = sub.add_parser("translations", help="Babel-catalogi beheren")
    translations.add_argument("action", choices=["extract", "update", "compile", "report"])
    translations.add_argument("--strict", action="store_true", help="report: exit 1 when a catalog is incomplete")
    translations.set_defaults(run=_translations)
    personas = sub.add_parser("personas", help="persona's controleren (personas/*.yaml)")
    personas.add_argument("action", choices=["validate", "run"])
    personas.add_argument("directory", nargs="?", default="",
                          help="validate: map met persona-bestanden (standaard personas/); run: persona-id (leeg = alle)")
    personas.add_argument("--html", default="", help="run: schrijf per persona een HTML-rapport in deze map")
    personas.add_argument("--pdf", default="", help="run: schrijf per persona een PDF-rapport in deze map")
    personas.set_defaults(run=_personas)
    letters = sub.add_parser("letters", help="brieven maken (batch, voorbeeld, controle)")
    letters.set_defaults(run=_letters)
    from .letters import cli as letters_cli

    letters_cli.add_arguments(letters)
    sub.add_parser("plans", help="plansjablonen in plans/ controleren").set_defaults(run=_plans)
    budget_cli.register(sub)
    outbox = sub.add_parser("outbox", help="e-mail-outbox: wachtende en mislukte berichten versturen, of tellen")
    outbox.add_argument("action", choices=["send", "status"])
    outbox.add_argument("--held", action="store_true",
                        help="send: ook berichten van toen er geen SMTP was ingesteld (status 'niet verzonden')")
    outbox.set_defaults(run=_outbox)
    srv = sub.add_parser("serve", help="productie: migreren, frontend bouwen, backend met meerdere workers")
    srv.add_argument("--port", type=int, default=8000)
    srv.add_argument("--workers", type=int, default=2)
    srv.add_argument("--host", default="0.0.0.0")
    srv.set_defaults(run=_serve)
    gen = sub.add_parser("generate", help="landelijke testdata voor het ketendashboard (lege database)")
    gen.add_argument("--persons", type=int, default=100_000)
    gen.add_argument("--seed", type=int, default=2026)
    gen.add_argument("--today", default="", help="JJJJ-MM-DD (standaard vandaag)")
    gen.add_argument("--database-url", default="", help="standaard DATABASE_URL of de SQLite-demo")
    gen.set_defaults(run=_generate)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())

"""Demo data: the chain organisations of one municipality, a user per role, three statushouders."""

from __future__ import annotations

import base64
import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import auth, plan_seed, register
from .budget.demo import seed_budgets
from .models import Organisation, User
from .policy import requires_second_factor

DEMO_PASSWORD = "welkom-demo-2026"
MUNICIPALITY = "Hilversum"

ORGANISATIONS = [
    ("Gemeente Hilversum", "gemeente", MUNICIPALITY, "Dudokpark 1, 1217 JE Hilversum", "14 035", "ma-vr 9.00-17.00"),
    ("COA Amersfoort", "coa", None, "Barchman Wuytierslaan 50, 3819 AC Amersfoort", "088 715 7000", "ma-vr 9.00-17.00"),
    ("VluchtelingenWerk Gooi", "vwn", None, "Kerkstraat 10, 1211 CL Hilversum", "035 123 4567", "ma-do 9.00-13.00"),
    ("Taalschool De Brug", "taalschool", None, "Schoolstraat 5, 1211 AB Hilversum", "035 765 4321", "ma-vr 8.30-16.30"),
    ("Budgetcoaching Gooi", "budgetcoach", None, "Marktplein 3, 1211 CC Hilversum", "035 111 2222", "di en do 9.00-12.00"),
]

# username, full name, organisation, role
USERS = [
    ("regisseur", "Anouk de Vries", "Gemeente Hilversum", "regisseur"),
    ("regisseur2", "Rutger Kok", "Gemeente Hilversum", "regisseur"),  # a colleague to hand a case over to
    ("financien", "Pieter Bakker", "Gemeente Hilversum", "financien"),
    ("financien2", "Fatima el Amrani", "Gemeente Hilversum", "financien"),
    ("coordinator", "Marloes Jansen", "Gemeente Hilversum", "coordinator"),
    ("privacy", "Joost Visser", "Gemeente Hilversum", "privacy"),
    ("coa", "Sanne Mulder", "COA Amersfoort", "medewerker"),
    ("vwn", "Ahmed Yilmaz", "VluchtelingenWerk Gooi", "begeleider"),
    ("taalschool", "Els Smit", "Taalschool De Brug", "docent"),
    ("budgetcoach", "Kees de Boer", "Budgetcoaching Gooi", "coach"),
    ("beheerder", "Ingrid Hoekstra", "Gemeente Hilversum", "beheerder"),
    ("beheerder-taal", "Bram Peters", "Taalschool De Brug", "beheerder"),
]


def demo_totp_secret(username: str) -> str:
    """The demo accounts' TOTP secret: derived from the name, so ``logins`` and the browser tests can make
    the code. Demo data only; a real account enrols with a random secret (``auth.new_totp_secret``)."""
    return base64.b32encode(hashlib.sha256(f"een-plan-demo-totp:{username}".encode()).digest()[:20]).decode()

PERSONS = [
    {
        "given_names": "Yonas", "family_name": "Tesfay", "name_own_script": "ዮናስ ተስፋይ",
        "birth_date": "2007-03-14", "country_of_origin": "ER", "v_number": "2100000001", "bsn": "111222333",
        "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-02-02",
        "koppeling_date": "2026-02-13", "municipality": MUNICIPALITY, "azc": "AZC Amersfoort",
        "spoken_languages": "tir", "read_languages": "tir", "letter_language": "tir", "literacy": "limited",
        "interpreter_needed": "on", "preferred_channel": "phone", "phone": "06 1234 5678",
        "functional_limitations": "Slaapt slecht; concentratie wisselt.", "education_years": "6",
        "education_history": "6 jaar basisschool in Eritrea; hielp in een garage.",
        "links": ["Taalschool De Brug"], "consents": ["VluchtelingenWerk Gooi", "Budgetcoaching Gooi"],
    },
    {
        "given_names": "Rania", "family_name": "Haddad", "name_own_script": "رانيا حداد",
        "birth_date": "1985-06-02", "country_of_origin": "SY", "v_number": "2100000002", "bsn": "123456782",
        "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-01-12",
        "koppeling_date": "2026-01-22", "move_date": "2026-05-04", "municipality": MUNICIPALITY,
        "address": "Larenseweg 12, 1221 CM Hilversum", "spoken_languages": "ar, en", "read_languages": "ar, en",
        "letter_language": "ar", "literacy": "literate", "preferred_channel": "email",
        "email": "rania.haddad@example.org", "education_years": "18",
        "education_history": "Master klinische psychologie (Damascus); 12 jaar werkzaam als psycholoog.",
        "household": [
            {"name": "Omar Haddad", "relationship": "partner", "birth_date": "1982-09-20"},
            {"name": "Lina Haddad", "relationship": "child", "birth_date": "2017-04-11"},
            {"name": "Sami Haddad", "relationship": "child", "birth_date": "2013-01-30"},
        ],
        "links": ["Taalschool De Brug"], "consents": ["VluchtelingenWerk Gooi"],
    },
    {
        "given_names": "Zarghuna", "family_name": "Ahmadi", "name_own_script": "زرغونه احمدی",
        "birth_date": "1982-11-05", "country_of_origin": "AF", "v_number": "2100000003",
        "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-03-09",
        "koppeling_date": "2026-03-20", "municipality": MUNICIPALITY, "azc": "AZC Amersfoort",
        "spoken_languages": "prs", "read_languages": "", "letter_language": "prs", "literacy": "illiterate",
        "interpreter_needed": "on", "preferred_channel": "phone", "phone": "06 8765 4321",
        "functional_limitations": "Moet dagelijks medicatie nemen en regelmatig eten; snel moe.",
        "education_years": "0",
        "household": [
            {"name": "Mariam Ahmadi", "relationship": "child", "birth_date": "2020-02-01"},
            {"name": "Farid Ahmadi", "relationship": "child", "birth_date": "2017-06-15"},
            {"name": "Nadia Ahmadi", "relationship": "child", "birth_date": "2014-08-23"},
            {"name": "Javid Ahmadi", "relationship": "child", "birth_date": "2010-05-12"},
        ],
        "links": ["Taalschool De Brug"], "consents": ["Budgetcoaching Gooi"],
    },
]


def seed(session: Session, today: date) -> bool:
    """Fill an empty database with the demo chain; does nothing when users already exist."""
    if session.scalar(select(User.id).limit(1)):
        return False
    orgs = {}
    for name, kind, municipality, address, phone, hours in ORGANISATIONS:
        orgs[name] = Organisation(
            name=name, kind=kind, municipality=municipality, address=address, phone=phone, phone_hours=hours,
            email=f"info@{name.lower().replace(' ', '-')}.example.nl",
        )
        session.add(orgs[name])
    password_hash = auth.hash_password(DEMO_PASSWORD)
    users = {}
    for username, full_name, org, role in USERS:
        users[username] = User(
            username=username, full_name=full_name, password_hash=password_hash, organisation=orgs[org], role=role,
            email=f"{username}@{orgs[org].email.partition('@')[2]}",  # demo addresses: invitations name someone
            totp_secret=demo_totp_secret(username) if requires_second_factor(orgs[org].kind, role) else None,
        )
        session.add(users[username])
    session.flush()
    regisseur = auth.actor_for(users["regisseur"])
    for data in PERSONS:
        form = {k: v for k, v in data.items() if k not in {"household", "links", "consents"}}
        person = register.register(session, regisseur, form, data.get("household", []), today)
        for org in data["links"]:
            register.link_partner(session, regisseur, person.id, orgs[org].id, today)
        for org in data["consents"]:
            register.record_consent(session, regisseur, person.id, orgs[org].id, person.letter_language, True, today)
    plan_seed.seed_plans(session, today)
    seed_budgets(session, today)
    return True

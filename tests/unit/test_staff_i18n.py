"""The staff UI's words are Babel messages: Dutch by default, English when the deployment asks for it."""

from statushouders import catalogs
from statushouders.ui import i18n


def test_dutch_is_the_default(monkeypatch):
    monkeypatch.delenv("STATUSHOUDERS_UI_LANGUAGE", raising=False)
    assert i18n._("Uitloggen") == "Uitloggen"


def test_english_deployment_gets_english_words(monkeypatch):
    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", "en")
    assert i18n._("Uitloggen") == "Log out"
    assert i18n._("Nieuwe statushouder") != "Nieuwe statushouder"


def test_every_staff_message_has_an_english_translation():
    done, total = catalogs.completeness(catalogs.STAFF, "en")
    assert total > 300 and done == total


def test_field_group_labels_from_the_access_rules_are_translated_too(monkeypatch):
    from statushouders import policy

    catalogs.compile_all()
    catalogs.staff_translations.cache_clear()
    monkeypatch.setenv("STATUSHOUDERS_UI_LANGUAGE", "en")
    assert [i18n._(policy.GROUP_LABELS[g]) for g in (policy.IDENTITY, policy.HEALTH)] == [
        "Identity", "Health and functional limitations"]

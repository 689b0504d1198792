from parkplan.domain.errors import ValidationError, error, raise_if_errors, warning


def test_problem_renders_location_message_and_value_in_both_languages():
    p = error(
        "companies[2].connection.contracted_kw", "moet een getal zijn", "must be a number", "veel"
    )
    p = p.located(file="inventaris.csv", row=4, column="Gecontracteerd vermogen [kW]")
    assert p.render("nl") == (
        "fout: inventaris.csv, rij 4, kolom 'Gecontracteerd vermogen [kW]': moet een getal zijn"
        " (gevonden: 'veel')"
    )
    assert p.render("en").startswith("error: inventaris.csv, row 4, column 'Gecontracteerd")


def test_validation_error_counts_errors_not_warnings():
    problems = [error("a", "x", "x"), warning("b", "y", "y"), error("c", "z", "z")]
    try:
        raise_if_errors(problems, source="park.yaml")
    except ValidationError as exc:
        assert len(exc.errors) == 2
        assert len(exc.warnings) == 1
        assert exc.message("nl") == "2 fout(en) in park.yaml; er is niets opgeslagen."
        assert isinstance(exc, ValueError)
    else:
        raise AssertionError("expected ValidationError")


def test_only_warnings_do_not_raise():
    raise_if_errors([warning("b", "y", "y")])

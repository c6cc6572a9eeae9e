"""The flux states vocabulary (shared/docs/chorus-pro-api.md §5.1)."""

from chorus_core import flux_states


def test_every_documented_state_once_with_both_labels():
    codes = [state.code for state in flux_states.FLUX_STATES]
    assert len(codes) == len(set(codes)) == 15
    assert all(state.label_fr and state.label_en for state in flux_states.FLUX_STATES)
    assert flux_states.SELECTION[0] == (flux_states.DEPOSITED, "Deposited, waiting to be processed")


def test_terminal_sets():
    assert set(flux_states.SUCCESS_STATES) == {"IN_INTEGRE", "IN_INTEGRE_PARTIEL"}
    assert set(flux_states.FAILED_STATES) == {
        "IN_REJETE",
        "IN_INCIDENTE",
        "QP_IRRECEVABLE",
        "QP_RECEVABLE_AVEC_ERREUR",
        "IN_A_RELANCER",
        "IN_ERREUR_INTERNE",
    }
    assert set(flux_states.FINAL_STATES) == set(flux_states.SUCCESS_STATES) | set(flux_states.FAILED_STATES)
    assert "IN_TRAITE_SE_CPP" in flux_states.PENDING_STATES  # not a success, whatever Tryton says
    assert flux_states.is_failure("IN_REJETE") and not flux_states.is_failure("IN_INTEGRE")
    assert not flux_states.is_failure(flux_states.DEPOSITED)

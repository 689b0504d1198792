from parkplan.web.security import (
    LoginThrottle,
    generate_password,
    hash_password,
    new_token,
    password_problem,
    token_digest,
    tokens_equal,
    verify_password,
)


def test_password_hash_verifies_only_the_right_password():
    h = hash_password("correct horse battery")
    assert h.startswith("$argon2id$")
    assert verify_password(h, "correct horse battery")
    assert not verify_password(h, "wrong horse battery")
    assert not verify_password("not-a-hash", "x")


def test_password_rules_and_generated_passwords():
    assert password_problem("kort") is not None
    assert password_problem(" spatie-ervoor12") is not None
    generated = generate_password()
    assert len(generated) == 16
    assert password_problem(generated) is None


def test_tokens_are_random_and_stored_as_digest():
    a, b = new_token(), new_token()
    assert a != b
    assert len(token_digest(a)) == 64
    assert token_digest(a) != a
    assert tokens_equal(a, a) and not tokens_equal(a, b)


def test_throttle_blocks_after_limit_within_window_and_forgets_after():
    throttle = LoginThrottle(max_failures=3, window_s=60)
    for t in (0, 1, 2):
        assert not throttle.blocked("x@example.org", now=t)
        throttle.fail("x@example.org", "127.0.0.1", now=t)
    assert throttle.blocked("x@example.org", now=3)
    assert throttle.blocked("other@example.org", "127.0.0.1", now=3)  # same client address
    assert not throttle.blocked("x@example.org", now=63)  # window passed
    throttle.fail("y@example.org", now=100)
    throttle.succeed("y@example.org")
    assert not throttle.blocked("y@example.org", now=100)

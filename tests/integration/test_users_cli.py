"""`flask users create`: accounts made by an operator, with a one-time link when no password is given."""
import re
from urllib.parse import urlsplit

from sqlalchemy import func, select

from shop.auth.models import Role, User
from shop.extensions import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def only_user() -> User:
    db.session.expire_all()
    return db.session.scalar(select(User))


def test_creating_an_admin_with_a_password(app):
    result = run(app, "Boss@Example.VN", "--role", "admin", "--name", "Phạm Thu", "--password", "a long admin secret")

    assert result.exit_code == 0, result.output
    user = only_user()
    assert (user.email, user.role, user.name) == ("boss@example.vn", Role.ADMIN, "Phạm Thu")
    assert user.check_password("a long admin secret")
    assert "password-reset" not in result.output


def test_without_a_password_the_command_prints_a_one_time_link_that_works(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ocop.example")
    result = run(app, "lan@example.vn")

    assert result.exit_code == 0, result.output
    [link] = re.findall(r"https://ocop\.example/account/password-reset/\S+", result.output)
    user = only_user()
    assert user.role == Role.CUSTOMER and not user.check_password("")

    client = app.test_client()
    path = urlsplit(link).path
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(path, data={"csrf_token": token, "password": "chosen by lan herself",
                                       "confirm": "chosen by lan herself"})
    assert response.status_code == 302
    assert only_user().check_password("chosen by lan herself")
    assert client.get(path).status_code == 400


def test_an_existing_email_is_refused_with_exit_code_1(app, make_user):
    make_user(email="lan@example.vn")
    db.session.commit()

    result = run(app, "LAN@example.vn", "--password", "another long secret")

    assert result.exit_code == 1
    from shop.auth.services import EmailTaken

    assert str(EmailTaken()) in result.output  # in the operator's (default) language
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_producer_user_belongs_to_a_known_producer(app, make_producer):
    producer = make_producer(slug="htx-mien-dong")
    db.session.commit()

    result = run(app, "htx@example.vn", "--role", "producer", "--producer", "htx-mien-dong")

    assert result.exit_code == 0, result.output
    user = only_user()
    assert (user.role, user.producer_id) == (Role.PRODUCER, producer.id)


def test_an_unknown_producer_slug_is_refused_and_nothing_created(app):
    result = run(app, "htx@example.vn", "--role", "producer", "--producer", "no-such-producer")

    assert result.exit_code == 1
    assert "no-such-producer" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_staff_user_works_at_a_known_sales_point(app, make_sales_point):
    point = make_sales_point(code="HL01")
    db.session.commit()

    result = run(app, "desk@example.vn", "--role", "staff", "--sales-point", "HL01")

    assert result.exit_code == 0, result.output
    assert only_user().sales_point_id == point.id


def test_an_unknown_sales_point_code_is_refused(app):
    result = run(app, "desk@example.vn", "--role", "staff", "--sales-point", "ZZ99")
    assert result.exit_code == 1
    assert "ZZ99" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_producer_user_without_a_producer_is_refused(app):
    result = run(app, "htx@example.vn", "--role", "producer")
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_short_password_and_a_bad_email_are_refused(app):
    assert run(app, "lan@example.vn", "--password", "short").exit_code == 1
    assert run(app, "not-an-email", "--password", "a long enough secret").exit_code == 1
    assert db.session.scalar(select(func.count(User.id))) == 0

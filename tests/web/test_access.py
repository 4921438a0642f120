"""Who may open what: the role decorators, on a test-only blueprint mounted before the app serves."""
import pytest
from flask import Blueprint

from shop.auth.access import admin_required, producer_required, role_required, staff_required
from shop.auth.models import Role
from shop.extensions import db
from tests.conftest import build_app, fresh_database

guarded = Blueprint("guarded", __name__)


@guarded.get("/test-only/admin")
@admin_required
def admin_page():
    return "admin area"


@guarded.get("/test-only/producer")
@producer_required
def producer_page():
    return "producer area"


@guarded.get("/test-only/back-office")
@role_required(Role.STAFF, Role.ADMIN)
def back_office():
    return "back office"


@guarded.get("/desk/")
@staff_required
def desk():
    return "desk"


@pytest.fixture(scope="module")
def _clean_app(backend, tmp_path_factory):
    """This module's own app: blueprints can only be added before the first request."""
    with fresh_database(backend, str(tmp_path_factory.mktemp("access"))) as url:
        app = build_app(url)
        app.register_blueprint(guarded)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def visitor(client):
    client.set_cookie("lang", "en")
    return client


def test_an_anonymous_visitor_is_sent_to_log_in_and_back(visitor, app):
    response = visitor.get("/test-only/admin?tab=users")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Ftest-only%2Fadmin%3Ftab%3Dusers"
    page = visitor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Please log in to open this page." in page


def test_a_customer_on_an_admin_page_gets_403(visitor, make_user, login):
    make_user(email="lan@example.vn")
    db.session.commit()
    login(visitor, "lan@example.vn")

    response = visitor.get("/test-only/admin")

    assert response.status_code == 403
    assert "You may not open this page" in response.get_data(as_text=True)


def test_an_admin_opens_the_admin_page(visitor, make_user, login):
    make_user(email="boss@example.vn", role=Role.ADMIN)
    db.session.commit()
    login(visitor, "boss@example.vn")
    assert visitor.get("/test-only/admin").get_data(as_text=True) == "admin area"


def test_an_admin_is_not_a_producer(visitor, make_user, login):
    make_user(email="boss@example.vn", role=Role.ADMIN)
    db.session.commit()
    login(visitor, "boss@example.vn")
    assert visitor.get("/test-only/producer").status_code == 403


def test_a_producer_user_opens_the_producer_page(visitor, make_user, make_producer, login):
    make_user(email="htx@example.vn", role=Role.PRODUCER, producer_id=make_producer().id)
    db.session.commit()
    login(visitor, "htx@example.vn")
    assert visitor.get("/test-only/producer").status_code == 200


def test_a_page_may_admit_several_roles(visitor, make_user, make_sales_point, login):
    make_user(email="desk@example.vn", role=Role.STAFF, sales_point_id=make_sales_point().id)
    db.session.commit()
    login(visitor, "desk@example.vn")
    assert visitor.get("/test-only/back-office").status_code == 200
    assert visitor.get("/test-only/admin").status_code == 403


def test_staff_land_on_the_desk_when_it_exists(visitor, make_user, make_sales_point, login):
    make_user(email="desk@example.vn", role=Role.STAFF, sales_point_id=make_sales_point().id)
    db.session.commit()

    response = login(visitor, "desk@example.vn")

    assert response.headers["Location"] == "/desk/"


def test_producers_land_on_their_workspace(visitor, make_user, make_producer, login):
    make_user(email="htx@example.vn", role=Role.PRODUCER, producer_id=make_producer().id)
    db.session.commit()

    response = login(visitor, "htx@example.vn")

    assert response.headers["Location"] == "/producer/"


def test_a_deactivated_user_is_logged_out_on_the_next_request(visitor, make_user, login):
    user = make_user(email="boss@example.vn", role=Role.ADMIN)
    db.session.commit()
    login(visitor, "boss@example.vn")
    user.is_active = False
    db.session.commit()

    assert visitor.get("/test-only/admin").status_code == 302

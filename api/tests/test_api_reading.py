"""What the reading endpoints answer: pages with `next` links and a capped size, the
dashboard's filters, a gallery's works, a guardian's children, and a parameter of the wrong
type as data."""

import pytest

from api.data import PAGE_SIZE_MAX
from api.tests.helpers import api_client, token_for

pytestmark = pytest.mark.django_db


def test_lists_are_paged_with_links_and_a_capped_size(greenwood):
    client = api_client(greenwood, token_for(greenwood, "admin@greenwood.test"))

    first = client.get("/api/v1/works/?limit=1").json()
    second = client.get(first["next"].split("greenwood.localhost")[1]).json()
    capped = client.get("/api/v1/works/?limit=100000").json()

    assert first["count"] >= 2 and len(first["results"]) == 1
    assert "page=2" in first["next"] and "limit=1" in first["next"]
    assert first["previous"] is None and second["previous"] is not None
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert len(capped["results"]) == min(capped["count"], PAGE_SIZE_MAX)


def test_the_dashboards_filters_apply(greenwood):
    client = api_client(greenwood, token_for(greenwood, "admin@greenwood.test"))
    found = client.get("/api/v1/works/?q=mangoes").json()["results"]
    assert [work["title"] for work in found] == ["Still life with mangoes"]
    assert all(
        w["kind"] == "image" for w in client.get("/api/v1/works/?kind=image").json()["results"]
    )


def test_a_parameter_of_the_wrong_type_is_a_400_as_data(greenwood):
    client = api_client(greenwood, token_for(greenwood, "amina"))
    response = client.get("/api/v1/works/?page=abc")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_a_gallery_lists_the_works_the_person_may_see(greenwood):
    client = api_client(greenwood, token_for(greenwood, "amina"))
    [gallery] = [
        g for g in client.get("/api/v1/galleries/").json() if g["title"] == "Art: best of term"
    ]
    detail = client.get(f"/api/v1/galleries/{gallery['id']}/").json()
    titles = [work["title"] for section in detail["sections"] for work in section["works"]]
    assert titles and "Our school garden" not in titles  # Media Studies' class-only work


def test_a_guardian_gets_their_childs_works(greenwood):
    client = api_client(greenwood, token_for(greenwood, "mama.amina@greenwood.test"))
    [child] = client.get("/api/v1/children/").json()
    assert child["name"] == "Amina Hassan"
    assert "Sunset over the lake" in [work["title"] for work in child["works"]]

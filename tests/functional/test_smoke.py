from tests.support import Factory, Visitor


def test_home_page_answers_in_dutch(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'lang="nl"' in response.get_data(as_text=True)


def test_member_can_log_in_and_out(make: Factory, visitor: Visitor):
    user = make.user("Zonnebloem")
    visitor.login(user)
    assert "Zonnebloem" in visitor.get("/").get_data(as_text=True)
    visitor.logout()
    assert "Zonnebloem" not in visitor.get("/").get_data(as_text=True)

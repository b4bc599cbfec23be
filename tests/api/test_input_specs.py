"""
Input specs (DESIGN "Input"): a refused body names the field, says why (reason) and tells the
person in their language, naming the field by its label; the pack's forms answer the same way.
"""
from apihelp import expect_error


def field_error(r, status, code, field, reason, zh=None, en=False):
    e = expect_error(r, status, code, field, en=en)
    assert e["reason"] == reason, e
    if zh is not None:
        assert e["message"] == zh, e
    return e


def test_a_form_field_out_of_range_is_named_by_its_label(server):
    it = server.staff("spec-it", "it_staff")
    body = {"type": "machine_room_inspection", "data": {
        "inspected_at": "2026-11-21T09:30:00+08:00", "inspector": it.uid, "temperature": 99,
        "humidity": 45, "result": "normal"}}
    e = field_error(it.post("/api/v1/records", json=body), 400, "invalid", "data.temperature",
                    "out_of_range", "温度应在 -20 到 60 之间")
    assert e["detail"] == "must be from -20 to 60"
    r = it.post("/api/v1/records", json=body, headers={"Accept-Language": "en"})
    field_error(r, 400, "invalid", "data.temperature", "out_of_range", en=True)
    assert r.json()["error"]["message"] == "Temperature must be from -20 to 60"
    body["data"]["temperature"] = "warm"
    field_error(it.post("/api/v1/records", json=body), 400, "invalid", "data.temperature",
                "wrong_type", "温度应为数字")
    del body["data"]["temperature"]
    field_error(it.post("/api/v1/records", json=body), 400, "invalid", "data.temperature",
                "required", "请填写温度")


def test_api_bodies_answer_each_reason(server):
    sa = server.cached_admin("sysadmin")
    field_error(sa.post("/api/v1/users", json={"display_name": "x"}), 400, "invalid",
                "username", "required", "请填写登录名")
    field_error(sa.post("/api/v1/users", json={"username": 5, "display_name": "x"}), 400,
                "invalid", "username", "wrong_type", "登录名应为文本")
    field_error(sa.post("/api/v1/users", json={"username": "a", "display_name": "x" * 1025}),
                400, "invalid", "display_name", "too_long", "姓名不能超过 1024 个字符")
    field_error(sa.post("/api/v1/users", json={"username": "a", "display_name": "x",
                                               "department_id": 0}),
                400, "invalid", "department_id", "wrong_type")
    field_error(sa.post("/api/v1/users", json={"username": "a", "display_name": "x",
                                               "shoe_size": 42}),
                400, "unknown_field", None, "unknown_field", "不接受字段“shoe_size”")
    c, _ = server.employee("spec-locale")
    e = field_error(c.patch("/api/v1/me", json={"locale": "fr"},
                            headers={"Accept-Language": "en"}),
                    400, "invalid", "locale", "not_in_list", en=True)
    assert e["message"] == "language must be one of: zh-CN, en", e
    it = server.staff("spec-it2", "it_staff")
    field_error(it.post("/api/v1/vault/generate", json={"length": 3}), 400, "invalid",
                "length", "out_of_range")
    field_error(it.post("/api/v1/vault/generate", json={"length": "long"}), 400, "invalid",
                "length", "wrong_type", "密码长度应为整数")


def test_a_refused_body_changes_nothing(server):
    sa = server.cached_admin("sysadmin")
    before = len(sa.get("/api/v1/users", params={"limit": 500}).json()["items"])
    for body in ({}, {"username": None}, {"username": ["a"]}, {"username": "ok", "x": 1}):
        assert sa.post("/api/v1/users", json=body).status_code == 400
    assert len(sa.get("/api/v1/users", params={"limit": 500}).json()["items"]) == before

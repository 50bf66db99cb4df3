"""Procedure names of the generated catalogues (Lạng Sơn's in the demo, the benchmark's province):
the common procedures of a field by their real names, then generic ones (an action and an object)
in a fixed hash order. Names only make the files readable; nothing here is real data."""

from __future__ import annotations

from warehouse.demo.draws import stable_hash

NAMED_PROCEDURES = {  # the common procedures of a field, most used first
    "Hộ tịch": [
        "Đăng ký khai sinh",
        "Cấp bản sao trích lục hộ tịch",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "Đăng ký nhận cha, mẹ, con",
        "Đăng ký lại khai sinh",
        "Đăng ký giám hộ",
    ],
    "Chứng thực": [
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "Chứng thực văn bản thỏa thuận phân chia di sản",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
    ],
    "Đất đai": [
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
        "Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Tách thửa hoặc hợp thửa đất",
        "Chuyển mục đích sử dụng đất",
    ],
    "Thành lập và hoạt động của hộ kinh doanh": [
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
        "Tạm ngừng hoạt động hộ kinh doanh",
        "Chấm dứt hoạt động hộ kinh doanh",
    ],
    "Thành lập và hoạt động của doanh nghiệp": [
        "Thông báo thay đổi nội dung đăng ký doanh nghiệp",
        "Đăng ký thành lập công ty TNHH một thành viên",
        "Đăng ký thành lập công ty cổ phần",
        "Đăng ký thay đổi người đại diện theo pháp luật",
        "Giải thể doanh nghiệp",
    ],
    "Đường bộ": [
        "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp",
        "Cấp lại giấy phép lái xe",
        "Cấp phù hiệu xe ô tô kinh doanh vận tải",
        "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
    ],
    "Lý lịch tư pháp": [
        "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài cư trú tại Việt Nam",
        "Cấp Phiếu lý lịch tư pháp cho cơ quan nhà nước, tổ chức chính trị",
    ],
    "Bảo trợ xã hội": [
        "Trợ cấp xã hội hàng tháng đối với đối tượng bảo trợ xã hội",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
    ],
    "Người có công": [
        "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
        "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
    ],
}
ACTIONS = ("Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Đăng ký", "Xác nhận", "Thẩm định")
ACTIONS += ("Công nhận", "Cấp đổi", "Thu hồi")
OBJECTS = ("giấy phép", "giấy chứng nhận", "chứng chỉ hành nghề", "văn bản chấp thuận", "hồ sơ")


def procedure_names(field: str, count: int, phrase: str, *order: object) -> list[str]:
    """The first `count` names of a field: its named procedures, then "<action> <object>
    <phrase>" for every action and object, in the order of their hash with `order`."""
    generic = [f"{a} {o} {phrase}" for a in ACTIONS for o in OBJECTS]
    generic.sort(key=lambda name: stable_hash(*order, field, name))
    return (NAMED_PROCEDURES.get(field, []) + generic)[:count]

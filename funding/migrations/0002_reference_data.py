"""The three funds and the nine activity contents (Nghị định 45/2012/NĐ-CP, Điều 4)."""

from django.db import migrations

FUNDS = [
    ("national", "Khuyến công quốc gia", "KCQG", 1),
    ("provincial", "Khuyến công địa phương (cấp tỉnh)", "KCĐP tỉnh", 2),
    ("district", "Khuyến công địa phương (cấp huyện, xã)", "KCĐP huyện/xã", 3),
]

CONTENTS = [
    (1, "Đào tạo nghề, truyền nghề", "Đào tạo nghề, truyền nghề"),
    (2, "Nâng cao năng lực quản lý, năng lực áp dụng sản xuất sạch hơn, khởi sự doanh nghiệp, "
        "phát triển thị trường và xuất khẩu", "Năng lực quản lý, thị trường"),
    (3, "Xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc tiên "
        "tiến, sản xuất sạch hơn", "Mô hình trình diễn, máy móc thiết bị"),
    (4, "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu, hội chợ triển lãm, thương hiệu, "
        "phòng trưng bày", "Sản phẩm tiêu biểu, hội chợ"),
    (5, "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "Tư vấn"),
    (6, "Cung cấp thông tin tuyên truyền", "Thông tin tuyên truyền"),
    (7, "Hỗ trợ liên doanh, liên kết, hợp tác kinh tế, phát triển cụm công nghiệp, di dời cơ sở "
        "gây ô nhiễm", "Liên kết, cụm công nghiệp"),
    (8, "Hợp tác quốc tế về khuyến công", "Hợp tác quốc tế"),
    (9, "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công",
        "Năng lực hệ thống khuyến công"),
]


def load(apps, schema_editor):
    Fund = apps.get_model("funding", "Fund")
    ActivityContent = apps.get_model("funding", "ActivityContent")
    for key, name, short, order in FUNDS:
        Fund.objects.update_or_create(
            key=key, defaults={"name": name, "short_name": short, "order": order}
        )
    for number, name, short in CONTENTS:
        ActivityContent.objects.update_or_create(
            number=number, defaults={"name": name, "short_name": short}
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""The activity types (SPEC §3.1) and output indicators (SPEC §3.2), keys exactly as the SPEC.

Keys are a contract with other programs: never renamed. Rerunning leaves admins' rows alone
and puts back the SPEC's names of these keys.
"""

from django.db import migrations

# (content, key, Vietnamese, English)
ACTIVITY_TYPES = [
    (1, "vocational_training", "Đào tạo nghề, truyền nghề, nâng cao tay nghề",
        "Vocational training, craft transfer, skills upgrading"),
    (2, "management_training", "Tập huấn nâng cao năng lực quản lý, khởi sự doanh nghiệp",
        "Management capacity and business start-up training"),
    (2, "cleaner_production_capacity", "Nâng cao năng lực áp dụng sản xuất sạch hơn",
        "Capacity to apply cleaner production"),
    (2, "market_development", "Phát triển thị trường, xuất khẩu",
        "Market and export development"),
    (3, "demo_model", "Xây dựng mô hình trình diễn kỹ thuật",
        "Technical demonstration models"),
    (3, "machinery", "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến",
        "Support for advanced machinery and equipment"),
    (3, "tech_transfer", "Chuyển giao công nghệ, ứng dụng tiến bộ khoa học kỹ thuật",
        "Technology transfer, application of scientific and technical advances"),
    (3, "cleaner_production_pilot", "Thí điểm sản xuất sạch hơn",
        "Cleaner-production pilots"),
    (4, "typical_product_contest", "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu",
        "Selection of typical rural-industry products"),
    (4, "fair", "Hội chợ, triển lãm", "Fairs and exhibitions"),
    (4, "showroom", "Phòng trưng bày, giới thiệu sản phẩm", "Showrooms"),
    (4, "brand_packaging", "Thiết kế mẫu mã, bao bì, xây dựng và đăng ký thương hiệu",
        "Product and packaging design, brand building and registration"),
    (5, "consultancy", "Tư vấn", "Consultancy"),
    (6, "communication", "Thông tin tuyên truyền", "Information and communication"),
    (7, "linkage", "Liên doanh, liên kết, hiệp hội ngành nghề",
        "Joint ventures, linkages, trade associations"),
    (7, "cluster_planning", "Lập quy hoạch chi tiết cụm công nghiệp",
        "Detailed planning of industrial clusters"),
    (7, "cluster_infrastructure", "Hạ tầng, xử lý ô nhiễm môi trường cụm công nghiệp",
        "Industrial-cluster infrastructure and pollution treatment"),
    (7, "relocation_interest", "Hỗ trợ lãi suất vốn vay di dời cơ sở gây ô nhiễm",
        "Interest-rate support for relocating polluting facilities"),
    (8, "international", "Hợp tác quốc tế về khuyến công",
        "International cooperation on industrial extension"),
    (9, "staff_training", "Đào tạo, tập huấn, bồi dưỡng cán bộ khuyến công",
        "Training of industrial-extension staff"),
    (9, "study_tour", "Tham quan, khảo sát, học tập kinh nghiệm",
        "Study tours and surveys"),
    (9, "programme_management", "Quản lý, kiểm tra, giám sát, đánh giá chương trình",
        "Programme management, inspection, monitoring and evaluation"),
]

# (key, Vietnamese, unit, English, English unit, content or None for any content)
INDICATORS = [
    ("trainees", "Lao động được đào tạo nghề", "người",
        "Workers given vocational training", "people", 1),
    ("courses", "Lớp đào tạo, tập huấn", "lớp", "Training courses", "courses", None),
    ("learners", "Học viên được tập huấn", "người", "Course participants", "people", 2),
    ("demo_models", "Mô hình trình diễn kỹ thuật", "mô hình",
        "Technical demonstration models", "models", 3),
    ("machinery_facilities", "Cơ sở được hỗ trợ máy móc thiết bị", "cơ sở",
        "Facilities supported with machinery", "facilities", 3),
    ("machines", "Máy móc, thiết bị được hỗ trợ", "máy",
        "Machines and equipment supported", "machines", 3),
    ("tech_transfers", "Công nghệ được chuyển giao", "công nghệ",
        "Technologies transferred", "technologies", 3),
    ("cleaner_production_pilots", "Mô hình thí điểm sản xuất sạch hơn", "mô hình",
        "Cleaner-production pilot models", "models", 3),
    ("fairs", "Hội chợ, triển lãm", "hội chợ", "Fairs and exhibitions", "fairs", 4),
    ("booths", "Gian hàng được hỗ trợ", "gian", "Booths supported", "booths", 4),
    ("products_designed", "Sản phẩm được hỗ trợ thiết kế mẫu mã, bao bì", "sản phẩm",
        "Products given new design or packaging", "products", 4),
    ("brands", "Nhãn hiệu, thương hiệu được đăng ký", "nhãn hiệu",
        "Trademarks and brands registered", "trademarks", 4),
    ("typical_products", "Sản phẩm CNNT tiêu biểu được bình chọn", "sản phẩm",
        "Typical rural-industry products selected", "products", 4),
    ("consultations", "Lượt tư vấn", "lượt", "Consultations", "consultations", 5),
    ("media_items", "Tin, bài, phóng sự, ấn phẩm", "sản phẩm",
        "News items, articles, reports, publications", "items", 6),
    ("cluster_plans", "Cụm công nghiệp được lập quy hoạch chi tiết", "cụm",
        "Industrial clusters with a detailed plan", "clusters", 7),
    ("clusters_upgraded", "Cụm công nghiệp được hỗ trợ hạ tầng, xử lý môi trường", "cụm",
        "Industrial clusters with infrastructure or pollution treatment supported",
        "clusters", 7),
    ("relocated_facilities", "Cơ sở di dời được hỗ trợ lãi suất", "cơ sở",
        "Relocated facilities given interest-rate support", "facilities", 7),
    ("staff_trained", "Cán bộ khuyến công được đào tạo, tập huấn", "người",
        "Industrial-extension staff trained", "people", 9),
    ("jobs_created", "Việc làm mới tạo ra", "người", "New jobs created", "people", None),
]


def load(apps, schema_editor):
    ActivityType = apps.get_model("funding", "ActivityType")
    OutputIndicator = apps.get_model("funding", "OutputIndicator")
    for order, (content, key, name, name_en) in enumerate(ACTIVITY_TYPES, start=1):
        ActivityType.objects.update_or_create(
            key=key,
            defaults={"content_id": content, "name": name, "name_en": name_en, "order": order},
        )
    for order, (key, name, unit, name_en, unit_en, content) in enumerate(INDICATORS, start=1):
        OutputIndicator.objects.update_or_create(
            key=key,
            defaults={
                "name": name,
                "unit": unit,
                "name_en": name_en,
                "unit_en": unit_en,
                "content_id": content,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("funding", "0006_activity_types_and_indicators")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

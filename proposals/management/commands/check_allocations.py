"""Compare every allocation's kept committed figure with a sum from scratch; --fix repairs."""

from django.core.management.base import BaseCommand
from django.db import transaction

from funding.models import Allocation
from proposals.budget import committed_vnd, refresh_committed


def drifted() -> list[tuple[Allocation, int]]:
    """(allocation, the from-scratch sum) for each allocation whose kept figure differs."""
    found = []
    for allocation in Allocation.objects.select_related("province", "fund").order_by("pk"):
        total = committed_vnd(allocation.province_id, allocation.year, allocation.fund_id)
        if total != allocation.committed_vnd:
            found.append((allocation, total))
    return found


def repair(allocations) -> None:
    for allocation in allocations:
        with transaction.atomic():
            refresh_committed(allocation.province_id, allocation.year, allocation.fund_id)


class Command(BaseCommand):
    help = "Kiểm tra số đã phê duyệt lưu trên từng phân bổ; --fix để sửa."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Tính lại các phân bổ lệch.")

    def handle(self, *args, fix=False, **options):
        found = drifted()
        for allocation, total in found:
            self.stdout.write(f"{allocation}: lưu {allocation.committed_vnd}, đúng là {total}")
        if fix:
            repair(allocation for allocation, _total in found)
        verb = "đã sửa" if fix else "lệch"
        self.stdout.write(f"{len(found)} phân bổ {verb}.")

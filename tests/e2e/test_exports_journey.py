"""A district officer sorts the case list by a column header, exports it while it is longer than
the threshold, watches the status page while a real Celery worker writes the file, downloads it
and finds the notice in the inbox."""
from tests.cases import cases_factories as factories


def test_sort_export_in_the_background_and_download(page, login, live_server, users, settings,
                                                    celery_worker_factory, tmp_path):
    from core.models import ExportJob

    settings.MEDIA_ROOT = settings.VAR_DIR / "test-media"  # where the worker stores the file
    settings.EXPORT_BACKGROUND_ROWS = 2
    number = factories.mainland_id(seq=11)
    for index, person_number in enumerate((number, None, None)):
        factories.case(users["district"], factories.person(users["district"],
                                                           name=f"导出测试{index}",
                                                           number=person_number))
    celery_worker_factory()

    login(page, "district")
    page.goto(f"{live_server.url}/cases/")
    header = page.locator("th[aria-sort]").filter(has_text="个案编号")
    header.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "sort=number" in page.url
    assert page.locator("th[aria-sort=ascending]").inner_text().strip() == "个案编号"
    # the first column is the bulk-action checkbox where the list offers one
    numbers = page.locator(
        "tbody tr td:first-child a, tbody tr td:first-child:has(input[type=checkbox]) + td a"
    ).all_inner_texts()
    assert numbers == sorted(numbers) and len(numbers) == 3

    page.locator(".list-tools a", has_text="CSV").click()
    page.wait_for_load_state("networkidle")
    job = ExportJob.objects.get(owner=users["district"])
    assert page.url.endswith(f"/exports/{job.pk}/")
    download_link = page.locator("a[data-download]")
    download_link.wait_for(timeout=60_000)  # the poller reloads the page when the file is ready
    with page.expect_download() as download_info:
        download_link.click()
    target = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(target)
    text = target.read_bytes().decode("utf-8-sig")
    assert target.suffix == ".csv" and text.count("导出测试") == 3 and number not in text
    lines = text.splitlines()[1:]
    assert [line.split(",")[0] for line in lines] == sorted(numbers)

    page.goto(f"{live_server.url}/inbox/")
    assert page.locator("text=您导出的文件已生成").count() == 1

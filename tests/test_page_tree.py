from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from axes.models import AmbitionPage, AxisPage, HomePage, ProjectPage


class PageTreeTests(WagtailPageTestCase):
    def test_the_cop_holds_axes_only(self):
        self.assertAllowedSubpageTypes(HomePage, {AxisPage})
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_an_axis_lives_in_the_cop_and_holds_ambitions(self):
        self.assertAllowedParentPageTypes(AxisPage, {HomePage})
        self.assertAllowedSubpageTypes(AxisPage, {AmbitionPage})

    def test_an_ambition_lives_in_an_axis_and_holds_projects(self):
        self.assertAllowedParentPageTypes(AmbitionPage, {AxisPage})
        self.assertAllowedSubpageTypes(AmbitionPage, {ProjectPage})

    def test_a_project_lives_in_an_ambition_and_holds_nothing(self):
        self.assertAllowedParentPageTypes(ProjectPage, {AmbitionPage})
        self.assertAllowedSubpageTypes(ProjectPage, set())

    def test_no_level_can_be_skipped(self):
        self.assertCanNotCreateAt(HomePage, AmbitionPage)
        self.assertCanNotCreateAt(HomePage, ProjectPage)
        self.assertCanNotCreateAt(AxisPage, ProjectPage)
        self.assertCanNotCreateAt(AxisPage, AxisPage)

    def test_cops_sit_under_the_tree_root_and_one_is_the_sites(self):
        self.assertEqual(HomePage.objects.count(), 1)
        self.assertTrue(HomePage.can_create_at(Page.get_first_root_node()))
        self.assertEqual(Site.objects.get(is_default_site=True).root_page.specific_class, HomePage)

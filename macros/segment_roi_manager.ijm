// AnySeg example: segment the ROI Manager's prompts on the current image.
// Draw rectangles (boxes) and points on the image, add each to the ROI Manager (press T),
// then run this macro: you get a label image and one ROI per object in the ROI Manager.
// Points of counter 1 of the multi-point tool, or of a ROI named "neg...", are background.

if (nImages == 0) exit("Open an image and add prompts to the ROI Manager first.");
if (roiManager("count") == 0) exit("The ROI Manager is empty: add boxes or points (press T).");
n0 = roiManager("count");
run("AnySeg Macro Functions");
Ext.anysegSetModel("demo");
Ext.anysegSegmentRoiManager();
Ext.anysegGetObjectCount(n);
for (i = 1; i <= n; i++) {
	Ext.anysegGetIoU(i, iou);
	print("object " + i + ": predicted IoU " + d2s(iou, 3));
}
print("AnySeg: " + n + " object(s); ROI Manager " + n0 + " -> " + roiManager("count") + " ROIs");
